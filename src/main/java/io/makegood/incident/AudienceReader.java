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

	static final List<String> KEYS = List.of("source", "query", "file");

	static final String SQL = "sql";

	static final String CSV = "csv";

	private static final List<String> SOURCES = List.of(SQL, CSV);

	/** Reserved for audiences derived from an earlier incident's recipients. */
	private static final String RECIPIENTS_OF = "recipients-of";

	private static final Pattern WINDOW_PARAMETER = Pattern.compile("(?<!:):window(Start|End)\\b");

	/** Bound by the SQL source to page through the result; a query using it would page wrongly. */
	private static final Pattern RESERVED_PARAMETER = Pattern.compile("(?<!:):lastAccountId\\b");

	private AudienceReader() {
	}

	static Optional<Audience> read(SpecSection audience, Path baseDir, boolean hasWindow) {
		Optional<String> source = audience.requiredText("source");
		if (source.isEmpty()) {
			return Optional.empty();
		}
		return switch (source.get()) {
			case SQL -> sql(audience, hasWindow);
			case CSV -> csv(audience, baseDir);
			case RECIPIENTS_OF -> {
				audience.problem("source", "'" + RECIPIENTS_OF + "' is not supported yet; use one of: "
						+ String.join(", ", SOURCES));
				yield Optional.empty();
			}
			default -> {
				audience.problem("source", "unknown source '" + source.get() + "'; expected one of: "
						+ String.join(", ", SOURCES));
				yield Optional.empty();
			}
		};
	}

	private static Optional<Audience> sql(SpecSection audience, boolean hasWindow) {
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

	private static Optional<Audience> csv(SpecSection audience, Path baseDir) {
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
