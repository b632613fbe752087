package io.makegood.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

/**
 * The few statements that differ between the embedded default (HSQLDB) and production (PostgreSQL). The
 * important one is an insert that silently does nothing when the key exists: it is what makes a retried or
 * restarted chunk unable to grant a second credit or queue a second message.
 */
public enum SqlDialect {

	POSTGRESQL, HSQLDB;

	public static SqlDialect of(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			return named(product).orElseThrow(() -> new IllegalStateException(
					"Unsupported database: " + product.toLowerCase(Locale.ROOT) + " (use PostgreSQL or HSQLDB)"));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot reach the database: " + ex.getMessage(), ex);
		}
	}

	/** The dialect of a JDBC product name ({@code DatabaseMetaData#getDatabaseProductName}), if it is one. */
	public static Optional<SqlDialect> named(String productName) {
		String product = productName.toLowerCase(Locale.ROOT);
		if (product.contains("postgres")) {
			return Optional.of(POSTGRESQL);
		}
		if (product.contains("hsql")) {
			return Optional.of(HSQLDB);
		}
		return Optional.empty();
	}

	/** A column of an insert, with the SQL type HSQLDB needs to type a parameter inside MERGE ... USING. */
	public record Column(String name, String type) {
	}

	/** One-row insert, batched by the caller, that skips rows whose key already exists. */
	public String insertIgnoringDuplicates(String table, List<Column> columns, List<String> keyColumns) {
		String names = names(columns);
		if (this == POSTGRESQL) {
			String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
			return "insert into " + table + " (" + names + ") values (" + params + ") on conflict do nothing";
		}
		String casts = columns.stream()
			.map(c -> "cast(? as " + c.type() + ")")
			.collect(Collectors.joining(", "));
		String on = keyColumns.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" and "));
		String values = columns.stream().map(c -> "s." + c.name()).collect(Collectors.joining(", "));
		return "merge into " + table + " t using (values (" + casts + ")) as s(" + names + ") on " + on
				+ " when not matched then insert (" + names + ") values (" + values + ")";
	}

	/**
	 * Whether {@link #insertRowsIgnoringDuplicates} exists here. HSQLDB has none: a MERGE whose source holds one key
	 * twice inserts both rows and fails, so it gets a batch of one-row statements instead.
	 */
	public boolean insertsManyRowsIgnoringDuplicates() {
		return this == POSTGRESQL;
	}

	/**
	 * One statement inserting {@code rows} rows, skipping each whose key exists, also when a key comes twice in the
	 * statement (the first row wins, as in a batch). Its update count is the number of rows inserted.
	 */
	public String insertRowsIgnoringDuplicates(String table, List<Column> columns, int rows) {
		if (!insertsManyRowsIgnoringDuplicates()) {
			throw new UnsupportedOperationException(this + " has no multi-row insert that ignores duplicates");
		}
		String row = columns.stream().map(c -> "?").collect(Collectors.joining(", ", "(", ")"));
		StringBuilder sql = new StringBuilder(table.length() + 40 + rows * (row.length() + 2)).append("insert into ")
			.append(table)
			.append(" (")
			.append(names(columns))
			.append(") values ");
		for (int i = 0; i < rows; i++) {
			sql.append(i == 0 ? "" : ", ").append(row);
		}
		return sql.append(" on conflict do nothing").toString();
	}

	/**
	 * Whether PostgreSQL's COPY exists here: {@link #copyRows} in, which costs about half of an insert that skips
	 * existing keys but fails on one, and {@code COPY (query) TO STDOUT} out.
	 */
	public boolean copiesRows() {
		return this == POSTGRESQL;
	}

	/** COPY of the columns' values, in PostgreSQL's text format, from the client. */
	public String copyRows(String table, List<Column> columns) {
		if (!copiesRows()) {
			throw new UnsupportedOperationException(this + " has no COPY");
		}
		return "copy " + table + " (" + names(columns) + ") from stdin";
	}

	private static String names(List<Column> columns) {
		return columns.stream().map(Column::name).collect(Collectors.joining(", "));
	}

	/**
	 * Refreshes the planner's statistics after a bulk load, where PostgreSQL still believes a table is empty and
	 * would otherwise plan nested loops over it. HSQLDB has nothing to refresh.
	 */
	public void analyze(org.springframework.jdbc.core.JdbcTemplate jdbc, String table) {
		if (this == POSTGRESQL) {
			jdbc.execute("analyze " + table);
		}
	}

	/** A query returning the next value of a sequence. */
	public String nextValue(String sequence) {
		return this == POSTGRESQL ? "select nextval('" + sequence + "')"
				: "select next value for " + sequence + " from (values (0))";
	}

	/**
	 * Whether one statement of a batched {@link #insertIgnoringDuplicates} inserted its row. Callers rely on the
	 * per-row count to tell a new row from a duplicate (a duplicate account must be reported, never dropped
	 * silently), so a driver that hides it, such as PostgreSQL's with {@code reWriteBatchedInserts=true}, is refused
	 * rather than miscounted.
	 */
	public static boolean inserted(int updateCount) {
		if (updateCount < 0) {
			throw new IllegalStateException("The JDBC driver did not report per-row insert results (update count "
					+ updateCount + "); makegood needs them to detect duplicates. Remove reWriteBatchedInserts or"
					+ " similar batching options from the datasource URL.");
		}
		return updateCount > 0;
	}

	/** Row limit clause accepted by both databases. */
	public String limit(int rows) {
		return " fetch first " + rows + " rows only";
	}

}
