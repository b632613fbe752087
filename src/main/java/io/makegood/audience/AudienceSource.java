package io.makegood.audience;

import java.util.Optional;

/**
 * Where the affected accounts come from. Implementations stream: the audience can be far larger than memory, so
 * nothing here ever returns the whole list.
 */
public interface AudienceSource {

	/**
	 * Calls {@code consumer} for each row in a stable order (the same data read twice gives the same order), so a
	 * snapshot can number rows and report rejects by position.
	 */
	void read(RowConsumer consumer);

	/**
	 * Whether {@link #read} delivers rows in the order of their account id, so that repeats of an account come one
	 * after another and the snapshot can tell them without asking the database.
	 */
	default boolean readsInAccountOrder() {
		return false;
	}

	/**
	 * The first row only, without reading the rest; used to render one sample message before anything is
	 * written. Empty when the source has no rows.
	 */
	Optional<AudienceRow> first();

	@FunctionalInterface
	interface RowConsumer {

		/**
		 * @param rowNo 1-based position of the row in the source (data rows only, a CSV header is not counted)
		 * @param row the row, plus anything the source could not parse (see {@link SourceRow#problems()})
		 */
		void accept(long rowNo, SourceRow row);

	}

}
