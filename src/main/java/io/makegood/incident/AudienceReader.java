package io.makegood.incident;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.makegood.incident.IncidentSpec.Audience;

/** Reads {@code audience}: where the affected accounts come from. */
final class AudienceReader {

	static final List<String> KEYS = List.of("source", "query", "file", "incident", "status");

	static final String SQL = "sql";

	static final String CSV = "csv";

	/** The accounts an earlier incident mailed: a follow-up (apology, make-good) to exactly those people. */
	static final String RECIPIENTS_OF = "recipients-of";

	private static final List<String> SOURCES = List.of(SQL, CSV, RECIPIENTS_OF);

	/** Outbox statuses a follow-up may target; PENDING, SENDING and RETRY are not outcomes yet. */
	private static final List<String> RECIPIENT_STATUSES = List.of("SENT", "IN_DOUBT", "FAILED", "SUPPRESSED",
			"CAPPED");

	private static final Pattern INCIDENT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");

	private static final Pattern WINDOW_PARAMETER = Pattern.compile("(?<!:):window(Start|End)\\b");

	/** Bound by the SQL source to page through the result; a query using it would page wrongly. */
	private static final Pattern RESERVED_PARAMETER = Pattern.compile("(?<!:):lastAccountId\\b");

	private AudienceReader() {
	}

	/**
	 * @param frozen the incident's audience is already frozen in mg_audience, so its source is never read again
	 * and an audience file need not exist any more
	 */
	static Optional<Audience> read(SpecSection audience, Path baseDir, boolean hasWindow, boolean frozen) {
		Optional<String> source = audience.requiredText("source");
		if (source.isEmpty()) {
			return Optional.empty();
		}
		return switch (source.get()) {
			case SQL -> sql(audience, hasWindow);
			case CSV -> csv(audience, baseDir, frozen);
			case RECIPIENTS_OF -> recipientsOf(audience);
			default -> {
				audience.problem("source", "unknown source '" + source.get() + "'; expected one of: "
						+ String.join(", ", SOURCES));
				yield Optional.empty();
			}
		};
	}

	private static Optional<Audience> recipientsOf(SpecSection audience) {
		audience.rejectIfPresent("query", "is only used with source sql");
		audience.rejectIfPresent("file", "is only used with source csv");
		Optional<String> incident = audience.requiredText("incident").filter((id) -> {
			boolean valid = INCIDENT_ID.matcher(id).matches();
			if (!valid) {
				audience.problem("incident", "must be an incident id (" + INCIDENT_ID.pattern() + ")");
			}
			return valid;
		});
		List<String> statuses = audience.textList("status").orElse(List.of("SENT"));
		List<String> unknown = statuses.stream().filter((status) -> !RECIPIENT_STATUSES.contains(status)).toList();
		if (!unknown.isEmpty()) {
			audience.problem("status", "unknown status " + unknown + "; expected some of: "
					+ String.join(", ", RECIPIENT_STATUSES));
			return Optional.empty();
		}
		if (statuses.isEmpty()) {
			audience.problem("status", "must name at least one status, e.g. [SENT, IN_DOUBT]");
			return Optional.empty();
		}
		return incident.map((id) -> new Audience(RECIPIENTS_OF, null, null, id, statuses));
	}

	private static void rejectRecipientsOfKeys(SpecSection audience) {
		audience.rejectIfPresent("incident", "is only used with source " + RECIPIENTS_OF);
		audience.rejectIfPresent("status", "is only used with source " + RECIPIENTS_OF);
	}

	private static Optional<Audience> sql(SpecSection audience, boolean hasWindow) {
		rejectRecipientsOfKeys(audience);
		audience.rejectIfPresent("file", "is only used with source csv");
		Optional<String> query = audience.requiredText("query");
		if (query.isPresent() && RESERVED_PARAMETER.matcher(query.get()).find()) {
			audience.problem("query", ":lastAccountId is reserved for paging through the result; rename it");
			return Optional.empty();
		}
		if (query.isPresent() && !hasWindow) {
			// Without a window the parameters would be bound to nothing and the query would fail at run time.
			var parameter = WINDOW_PARAMETER.matcher(query.get());
			if (parameter.find()) {
				audience.problem("query", "uses " + parameter.group() + " but the spec has no window");
				return Optional.empty();
			}
		}
		return query.map((sql) -> new Audience(SQL, sql, null));
	}

	private static Optional<Audience> csv(SpecSection audience, Path baseDir, boolean frozen) {
		rejectRecipientsOfKeys(audience);
		audience.rejectIfPresent("query", "is only used with source sql");
		Optional<String> name = audience.requiredText("file");
		if (name.isEmpty()) {
			return Optional.empty();
		}
		Path file;
		try {
			file = baseDir.resolve(name.get()).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			audience.problem("file", "is not a valid path: " + ex.getReason());
			return Optional.empty();
		}
		if (frozen) {
			// the CSV is often deleted once sent (it holds customers' addresses); delivery reads mg_audience only
			return Optional.of(new Audience(CSV, null, file));
		}
		if (!Files.exists(file)) {
			audience.problem("file", "not found: " + file);
			return Optional.empty();
		}
		if (!Files.isRegularFile(file)) {
			audience.problem("file", "is not a regular file: " + file);
			return Optional.empty();
		}
		if (!Files.isReadable(file)) {
			audience.problem("file", "is not readable: " + file);
			return Optional.empty();
		}
		return Optional.of(new Audience(CSV, null, file));
	}

}
