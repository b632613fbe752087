package io.makegood.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.makegood.db.SqlDialect.Column;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inserts many rows that skip keys already present, in as few statements as the database allows: PostgreSQL
 * gets multi-row {@code insert ... values (...), (...) on conflict do nothing} statements, HSQLDB a JDBC batch of
 * one-row MERGEs. Rows are bound with typed setters straight from the caller's objects, which costs a fraction of
 * {@code JdbcTemplate.batchUpdate} over {@code Object[]} rows; a multi-row statement is also far cheaper for
 * PostgreSQL than as many one-row statements.
 * <p>
 * Only the number of new rows is reported, not which ones: a caller that must name the skipped rows finds them
 * afterwards (see {@code AudienceSnapshot}). Runs on the connection of the current transaction, if any.
 */
public final class BulkInsert<T> {

	/** Binds one row's values, in column order. */
	@FunctionalInterface
	public interface Binder<T> {

		void bind(Values values, T row) throws SQLException;

	}

	/** PostgreSQL's protocol numbers parameters with 16 bits. */
	private static final int MAX_PARAMETERS = Short.MAX_VALUE;

	private final SqlDialect dialect;

	private final String table;

	private final List<Column> columns;

	private final String oneRow;

	private final int maxRowsPerStatement;

	private final Binder<T> binder;

	/** Statement text by row count: a full chunk's is built once, not once per chunk. */
	private final Map<Integer, String> manyRows = new ConcurrentHashMap<>();

	public BulkInsert(SqlDialect dialect, String table, List<Column> columns, List<String> keyColumns,
			int maxRowsPerStatement, Binder<T> binder) {
		if (maxRowsPerStatement < 1) {
			throw new IllegalArgumentException("maxRowsPerStatement must be positive, was " + maxRowsPerStatement);
		}
		this.dialect = dialect;
		this.table = table;
		this.columns = List.copyOf(columns);
		this.oneRow = dialect.insertIgnoringDuplicates(table, columns, keyColumns);
		this.maxRowsPerStatement = Math.min(maxRowsPerStatement, MAX_PARAMETERS / columns.size());
		this.binder = binder;
	}

	/** @return how many of {@code rows} were inserted; the others had a key that already existed */
	public int insert(JdbcTemplate jdbc, List<? extends T> rows) {
		if (rows.isEmpty()) {
			return 0;
		}
		return jdbc.execute((ConnectionCallback<Integer>) connection -> {
			if (!dialect.insertsManyRowsIgnoringDuplicates()) {
				return batched(connection, rows);
			}
			int inserted = 0;
			for (int from = 0; from < rows.size(); from += maxRowsPerStatement) {
				List<? extends T> part = rows.subList(from, Math.min(rows.size(), from + maxRowsPerStatement));
				try (PreparedStatement statement = connection
					.prepareStatement(manyRows.computeIfAbsent(part.size(), this::manyRows))) {
					Values values = new Values(statement);
					for (T row : part) {
						binder.bind(values, row);
					}
					inserted += statement.executeUpdate();
				}
			}
			return inserted;
		});
	}

	private String manyRows(int rows) {
		return dialect.insertRowsIgnoringDuplicates(table, columns, rows);
	}

	private int batched(Connection connection, List<? extends T> rows) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(oneRow)) {
			Values values = new Values(statement);
			for (T row : rows) {
				values.next = 1;
				binder.bind(values, row);
				statement.addBatch();
			}
			int inserted = 0;
			for (int count : statement.executeBatch()) {
				inserted += SqlDialect.inserted(count) ? 1 : 0;
			}
			return inserted;
		}
	}

	/** Sets the next parameter of a statement; nulls are typed, which both databases need. */
	public static final class Values {

		private final PreparedStatement statement;

		private int next = 1;

		Values(PreparedStatement statement) {
			this.statement = statement;
		}

		public Values string(String value) throws SQLException {
			statement.setString(next++, value);
			return this;
		}

		public Values number(long value) throws SQLException {
			statement.setLong(next++, value);
			return this;
		}

		public Values integer(int value) throws SQLException {
			statement.setInt(next++, value);
			return this;
		}

		public Values decimal(BigDecimal value) throws SQLException {
			if (value == null) {
				statement.setNull(next++, Types.NUMERIC);
			}
			else {
				statement.setBigDecimal(next++, value);
			}
			return this;
		}

		public Values timestamp(Timestamp value) throws SQLException {
			if (value == null) {
				statement.setNull(next++, Types.TIMESTAMP);
			}
			else {
				statement.setTimestamp(next++, value);
			}
			return this;
		}

	}

}
