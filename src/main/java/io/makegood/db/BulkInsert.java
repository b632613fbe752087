package io.makegood.db;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.makegood.db.SqlDialect.Column;
import org.postgresql.PGConnection;
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

	private static final String UNIQUE_VIOLATION = "23505";

	/** PostgreSQL's protocol numbers parameters with 16 bits. */
	private static final int MAX_PARAMETERS = Short.MAX_VALUE;

	private final SqlDialect dialect;

	private final String table;

	private final List<Column> columns;

	private final String oneRow;

	private final String copyStatement;

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
		this.copyStatement = dialect.copiesRows() ? dialect.copyRows(table, columns) : null;
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
					Values values = new StatementValues(statement);
					for (T row : part) {
						binder.bind(values, row);
					}
					inserted += statement.executeUpdate();
				}
			}
			return inserted;
		});
	}

	/**
	 * Inserts rows whose keys are expected to be new: with COPY on PostgreSQL, which costs about half of an
	 * {@code insert ... on conflict do nothing} there, and as {@link #insert} elsewhere. Should a key exist after
	 * all, the COPY is undone and the rows go through {@link #insert}, which skips it.
	 * @return how many of {@code rows} were inserted
	 */
	public int insertNew(JdbcTemplate jdbc, List<? extends T> rows) {
		if (rows.isEmpty()) {
			return 0;
		}
		if (copyStatement == null) {
			return insert(jdbc, rows);
		}
		String data = copyData(rows);
		Integer copied = jdbc.execute((ConnectionCallback<Integer>) connection -> {
			Savepoint beforeCopy = connection.getAutoCommit() ? null : connection.setSavepoint();
			try {
				long count = connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn(copyStatement, new StringReader(data));
				if (beforeCopy != null) {
					connection.releaseSavepoint(beforeCopy);
				}
				return Math.toIntExact(count);
			}
			catch (SQLException ex) {
				if (!UNIQUE_VIOLATION.equals(ex.getSQLState())) {
					throw ex;
				}
				if (beforeCopy != null) {
					connection.rollback(beforeCopy);
				}
				return null;
			}
			catch (IOException ex) {
				throw new SQLException("COPY into " + table + " failed", ex);
			}
		});
		return copied != null ? copied : insert(jdbc, rows);
	}

	private String copyData(List<? extends T> rows) {
		CopyValues values = new CopyValues();
		try {
			for (T row : rows) {
				binder.bind(values, row);
				values.endRow();
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot write a row of " + table + " as COPY data", ex);
		}
		return values.data();
	}

	private String manyRows(int rows) {
		return dialect.insertRowsIgnoringDuplicates(table, columns, rows);
	}

	private int batched(Connection connection, List<? extends T> rows) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(oneRow)) {
			for (T row : rows) {
				StatementValues values = new StatementValues(statement);
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

	/** Takes one row's values in column order, for a statement's parameters or for a line of COPY data. */
	public abstract static sealed class Values permits StatementValues, CopyValues {

		public abstract Values string(String value) throws SQLException;

		public abstract Values number(long value) throws SQLException;

		public abstract Values integer(int value) throws SQLException;

		public abstract Values decimal(BigDecimal value) throws SQLException;

		public abstract Values timestamp(Timestamp value) throws SQLException;

	}

	/** Sets the next parameter of a statement; nulls are typed, which both databases need. */
	static final class StatementValues extends Values {

		private final PreparedStatement statement;

		private int next = 1;

		StatementValues(PreparedStatement statement) {
			this.statement = statement;
		}

		@Override
		public Values string(String value) throws SQLException {
			statement.setString(next++, value);
			return this;
		}

		@Override
		public Values number(long value) throws SQLException {
			statement.setLong(next++, value);
			return this;
		}

		@Override
		public Values integer(int value) throws SQLException {
			statement.setInt(next++, value);
			return this;
		}

		@Override
		public Values decimal(BigDecimal value) throws SQLException {
			if (value == null) {
				statement.setNull(next++, Types.NUMERIC);
			}
			else {
				statement.setBigDecimal(next++, value);
			}
			return this;
		}

		@Override
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

	/**
	 * Writes rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, and a backslash escape for
	 * the characters that would end a value or a line. A timestamp is written as its instant (ISO-8601, UTC), which
	 * is exact for a {@code timestamp with time zone} column, the only kind makegood's tables have.
	 */
	static final class CopyValues extends Values {

		private final StringBuilder data = new StringBuilder();

		private boolean firstInRow = true;

		void endRow() {
			data.append('\n');
			firstInRow = true;
		}

		String data() {
			return data.toString();
		}

		private StringBuilder next() {
			if (!firstInRow) {
				data.append('\t');
			}
			firstInRow = false;
			return data;
		}

		@Override
		public Values string(String value) {
			StringBuilder out = next();
			if (value == null) {
				out.append("\\N");
				return this;
			}
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				switch (c) {
					case '\\' -> out.append("\\\\");
					case '\t' -> out.append("\\t");
					case '\n' -> out.append("\\n");
					case '\r' -> out.append("\\r");
					default -> out.append(c);
				}
			}
			return this;
		}

		@Override
		public Values number(long value) {
			next().append(value);
			return this;
		}

		@Override
		public Values integer(int value) {
			next().append(value);
			return this;
		}

		@Override
		public Values decimal(BigDecimal value) {
			StringBuilder out = next();
			if (value == null) {
				out.append("\\N");
			}
			else {
				out.append(value.toPlainString());
			}
			return this;
		}

		@Override
		public Values timestamp(Timestamp value) {
			StringBuilder out = next();
			if (value == null) {
				out.append("\\N");
			}
			else {
				out.append(value.toInstant());
			}
			return this;
		}

	}

}
