package io.makegood.audience;

import java.util.List;
import java.util.Objects;

/**
 * A row as a source delivered it. A value the source could not parse (say a fee of {@code "12,50"}) does not stop
 * the stream: the field is left null in {@link #row()} and the reason is kept in {@link #problems()}, so
 * {@link AudienceRules} rejects the row with a report entry instead of the run failing or silently dropping it.
 */
public record SourceRow(AudienceRow row, List<Problem> problems) {

	public SourceRow {
		Objects.requireNonNull(row, "row");
		problems = problems == null ? List.of() : List.copyOf(problems);
	}

	public static SourceRow of(AudienceRow row) {
		return new SourceRow(row, List.of());
	}

	public boolean hasProblems() {
		return !this.problems.isEmpty();
	}

	/**
	 * @param reason stable code, same vocabulary as {@link AudienceRules.Reject#reason()}
	 * @param detail describes the field, never the value (reports must not leak personal data)
	 */
	public record Problem(String reason, String detail) {
	}

}
