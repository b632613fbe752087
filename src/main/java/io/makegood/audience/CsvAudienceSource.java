package io.makegood.audience;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Reads an RFC 4180 CSV file (UTF-8, optional BOM) whose first record names the columns. Rows stream in file
 * order; the row number is the record's position after the header, so an operator can find it in the file.
 * <p>
 * Lenient where spreadsheets are sloppy (empty lines, rows of empty cells, unnamed columns are skipped), strict
 * where silence would lose data: a row with more or fewer fields than the header streams with a
 * {@code malformed-row} problem, and a header naming a column twice fails the whole file.
 */
public class CsvAudienceSource implements AudienceSource {

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
		.setHeader()
		.setSkipHeaderRecord(true)
		.setIgnoreSurroundingSpaces(false)
		.setIgnoreEmptyLines(true)
		.setAllowMissingColumnNames(true)
		// duplicates are detected below, case-insensitively, with a message naming the column
		.setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
		.get();

	private final Path file;

	public CsvAudienceSource(Path file) {
		this.file = Objects.requireNonNull(file, "file");
	}

	@Override
	public void read(RowConsumer consumer) {
		stream((rowNo, row) -> {
			consumer.accept(rowNo, row);
			return true;
		});
	}

	@Override
	public Optional<AudienceRow> first() {
		List<AudienceRow> first = new ArrayList<>(1);
		stream((rowNo, row) -> {
			first.add(row.row());
			return false;
		});
		return first.stream().findFirst();
	}

	private void stream(RowVisitor visitor) {
		try (Reader reader = open(); CSVParser parser = FORMAT.parse(reader)) {
			List<String> columns = columns(parser.getHeaderNames());
			Iterator<CSVRecord> records = parser.iterator();
			long lastRowNo = 0;
			while (true) {
				CSVRecord record;
				try {
					if (!records.hasNext()) {
						return;
					}
					record = records.next();
				}
				catch (UncheckedIOException ex) {
					// only parser failures land here; the visitor runs outside this try, its exceptions pass as-is
					throw unreadable("after row " + lastRowNo, ex.getCause());
				}
				lastRowNo = record.getRecordNumber();
				if (isBlank(record)) {
					continue;
				}
				if (!visitor.visit(record.getRecordNumber(), toRow(columns, record))) {
					return;
				}
			}
		}
		catch (IOException ex) {
			throw unreadable("in the header", ex);
		}
	}

	private Reader open() throws IOException {
		try {
			BufferedReader reader = Files.newBufferedReader(this.file, StandardCharsets.UTF_8);
			reader.mark(1);
			if (reader.read() != BYTE_ORDER_MARK) {
				reader.reset();
			}
			return reader;
		}
		catch (NoSuchFileException ex) {
			throw new AudienceSourceException("Audience file " + this.file + " does not exist", ex);
		}
	}

	private List<String> columns(List<String> headerNames) {
		List<String> columns = headerNames.stream().map(AudienceColumns::normalise).toList();
		if (!columns.contains(AudienceColumns.ACCOUNT_ID)) {
			throw new AudienceSourceException("Audience file " + this.file + " has no '" + AudienceColumns.ACCOUNT_ID
					+ "' column; its header is " + headerNames);
		}
		Set<String> seen = new TreeSet<>();
		Set<String> duplicates = new TreeSet<>();
		for (String column : columns) {
			if (!column.isEmpty() && !seen.add(column)) {
				duplicates.add(column);
			}
		}
		if (!duplicates.isEmpty()) {
			throw new AudienceSourceException("Audience file " + this.file + " names column(s) " + duplicates
					+ " more than once (column names are case-insensitive); its header is " + headerNames);
		}
		return columns;
	}

	private static SourceRow toRow(List<String> columns, CSVRecord record) {
		Map<String, String> values = new HashMap<>();
		int fields = Math.min(columns.size(), record.size());
		for (int i = 0; i < fields; i++) {
			String column = columns.get(i);
			if (!column.isEmpty()) {
				values.put(column, record.get(i));
			}
		}
		SourceRow row = AudienceColumns.toRow(values);
		if (record.size() == columns.size()) {
			return row;
		}
		// a field count off the header usually means a stray quote shifted the values; never guess which is which
		List<SourceRow.Problem> problems = new ArrayList<>(row.problems());
		problems.add(0, new SourceRow.Problem("malformed-row",
				"row has " + record.size() + " fields, the header has " + columns.size()));
		return new SourceRow(row.row(), problems);
	}

	private static boolean isBlank(CSVRecord record) {
		for (String value : record) {
			if (!value.isBlank()) {
				return false;
			}
		}
		return true;
	}

	private AudienceSourceException unreadable(String where, Throwable cause) {
		String why = cause instanceof CharacterCodingException ? "is not valid UTF-8" : "cannot be parsed as CSV";
		return new AudienceSourceException("Audience file " + this.file + " " + why + " " + where + ": " + cause,
				cause);
	}

	@FunctionalInterface
	private interface RowVisitor {

		/** @return whether to go on reading */
		boolean visit(long rowNo, SourceRow row);

	}

}
