package io.makegood.audience;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.makegood.db.SqlDialect;
import io.makegood.incident.IncidentSpec;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the audience with the operator's own query against a source database (ideally a read-only user or a
 * replica). The query may use {@code :windowStart} and {@code :windowEnd}, and any columns: the known ones map
 * to {@link AudienceRow} fields, the rest become attributes (as {@code ResultSet#getString} renders them).
 * <p>
 * On PostgreSQL the query runs once, {@code select ... from (<query>) q order by key nulls last}, read through a
 * cursor. Elsewhere reading uses keyset paging, not OFFSET: each page is
 * {@code select ... from (<query>) q where key > :lastAccountId order by key fetch first N rows only}, repeated
 * until a short page. Every page is its own statement, so a row that exists for the whole read is read exactly
 * once even if other rows come and go meanwhile (OFFSET would skip or repeat rows then).
 * <p>
 * The key is {@code account_id} cast to {@code varchar}, so the column may be numeric too; rows are then ordered
 * as strings ({@code "10"} before {@code "9"}), which is a stable order, not a numeric one. The cast value is the
 * row's account id. Accounts listed more than once are all delivered (the snapshot rejects the repeats), also
 * when they straddle a page boundary, and rows with a null account_id come last so they are reported, not lost.
 */
public class SqlAudienceSource implements AudienceSource {

	/** Bound to the last key of the previous page; an operator's query must not use it. */
	public static final String LAST_ACCOUNT_ID = "lastAccountId";

	public static final String WINDOW_START = "windowStart";

	public static final String WINDOW_END = "windowEnd";

	private static final String KEY = "mg_source_key";

	/** Long enough that no usable account id is cut (the snapshot stores at most 100 characters). */
	private static final String KEY_EXPRESSION = "cast(q.account_id as varchar(1000))";

	private static final Pattern TRAILING_SEMICOLONS = Pattern.compile("[\\s;]+$");

	private final NamedParameterJdbcTemplate jdbc;

	private final TransactionTemplate readOnly;

	private final String query;

	private final Map<String, Object> params;

	private final int pageSize;

	public SqlAudienceSource(DataSource source, String query, Map<String, Object> params, int pageSize) {
		Objects.requireNonNull(source, "source");
		if (query == null || query.isBlank()) {
			throw new AudienceSourceException("The audience query is empty");
		}
		if (pageSize < 1) {
			throw new IllegalArgumentException("pageSize must be positive, was " + pageSize);
		}
		JdbcTemplate template = new JdbcTemplate(source);
		template.setFetchSize(pageSize);
		this.jdbc = new NamedParameterJdbcTemplate(template);
		this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(source));
		this.readOnly.setReadOnly(true);
		this.query = TRAILING_SEMICOLONS.matcher(query).replaceAll("");
		this.params = new HashMap<>(params == null ? Map.of() : params);
		this.pageSize = pageSize;
		checkParameters();
	}

	/**
	 * The {@code :windowStart} / {@code :windowEnd} values for a spec's window, as {@link Timestamp}s (which every
	 * driver binds; against a column without time zone they mean the JVM's zone, so run in UTC). A missing
	 * window or bound leaves the parameter unbound, and a query using it is refused.
	 */
	public static Map<String, Object> windowParameters(IncidentSpec.Window window) {
		Map<String, Object> params = new HashMap<>();
		if (window != null && window.start() != null) {
			params.put(WINDOW_START, Timestamp.from(window.start()));
		}
		if (window != null && window.end() != null) {
			params.put(WINDOW_END, Timestamp.from(window.end()));
		}
		return params;
	}

	@Override
	public void read(RowConsumer consumer) {
		if (isPostgres()) {
			readInOneStatement(consumer);
		}
		else {
			readByPages(consumer);
		}
	}

	/**
	 * PostgreSQL plans the operator's query anew for every keyset page and often cannot push the key into it (an
	 * {@code exists} over another table is merge-joined from its first row), so each page costs more than the one
	 * before: for a million accounts, pages of 10,000 took ~14 s of the database's time, one statement under 3 s.
	 * It is read through a cursor in a read-only transaction, {@code pageSize} rows per round trip, so memory stays
	 * flat, and it sees one snapshot of the source, so every row is read exactly once.
	 */
	private void readInOneStatement(RowConsumer consumer) {
		this.readOnly.executeWithoutResult(
				status -> stream(select("") + " order by " + KEY + " nulls last", null, 0, consumer));
	}

	private boolean isPostgres() {
		try {
			return Boolean.TRUE.equals(this.jdbc.getJdbcTemplate()
				.execute((ConnectionCallback<Boolean>) connection -> SqlDialect
					.named(connection.getMetaData().getDatabaseProductName())
					.orElse(null) == SqlDialect.POSTGRESQL));
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	/** Other databases (HSQLDB) read page by page; see the class comment. */
	private void readByPages(RowConsumer consumer) {
		long rowNo = 0;
		String lastKey = null;
		while (true) {
			List<KeyedRow> page = page(lastKey, this.pageSize);
			if (page.size() < this.pageSize) {
				for (KeyedRow row : page) {
					consumer.accept(++rowNo, row.row());
				}
				break;
			}
			// the next page starts after the last key, so all rows sharing it are read here, in one go
			lastKey = page.get(page.size() - 1).key();
			for (KeyedRow row : page) {
				if (!row.key().equals(lastKey)) {
					consumer.accept(++rowNo, row.row());
				}
			}
			rowNo = stream(select("where " + KEY_EXPRESSION + " = :" + LAST_ACCOUNT_ID), lastKey, rowNo, consumer);
		}
		stream(select("where q.account_id is null"), null, rowNo, consumer);
	}

	/** By the key, in either way of reading; rows without an account id come last. */
	@Override
	public boolean readsInAccountOrder() {
		return true;
	}

	@Override
	public Optional<AudienceRow> first() {
		Optional<AudienceRow> first = page(null, 1).stream().findFirst().map(row -> row.row().row());
		if (first.isPresent()) {
			return first;
		}
		return query(select("where q.account_id is null") + " fetch first 1 rows only", null).stream()
			.findFirst()
			.map(row -> row.row().row());
	}

	private List<KeyedRow> page(String lastKey, int size) {
		String where = (lastKey == null) ? "where q.account_id is not null"
				: "where " + KEY_EXPRESSION + " > :" + LAST_ACCOUNT_ID;
		return query(select(where) + " order by " + KEY + " fetch first " + size + " rows only", lastKey);
	}

	private String select(String where) {
		// the line breaks keep a trailing "-- comment" in the operator's query from swallowing the wrapper
		return "select " + KEY_EXPRESSION + " as " + KEY + ", q.* from (\n" + this.query + "\n) q " + where;
	}

	private List<KeyedRow> query(String sql, String lastKey) {
		try {
			RowReader reader = new RowReader();
			return this.jdbc.query(sql, parameters(lastKey), (rs, i) -> reader.read(rs));
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
	}

	private long stream(String sql, String lastKey, long rowNo, RowConsumer consumer) {
		long[] count = { rowNo };
		RowReader reader = new RowReader();
		try {
			this.jdbc.query(sql, parameters(lastKey), rs -> {
				SourceRow row = reader.read(rs).row();
				try {
					consumer.accept(++count[0], row);
				}
				catch (RuntimeException ex) {
					throw new ConsumerFailure(ex);
				}
			});
		}
		catch (ConsumerFailure ex) {
			// the consumer's own failure (say a constraint in the snapshot table) is not a failing audience query
			throw ex.getCause();
		}
		catch (DataAccessException ex) {
			throw failed(ex);
		}
		return count[0];
	}

	private MapSqlParameterSource parameters(String lastKey) {
		MapSqlParameterSource parameters = new MapSqlParameterSource(this.params);
		parameters.addValue(LAST_ACCOUNT_ID, lastKey);
		return parameters;
	}

	/** Turns the rows of one result set into audience rows; the column names are worked out on the first. */
	private static final class RowReader {

		private String[] columns;

		KeyedRow read(ResultSet rs) throws SQLException {
			if (columns == null) {
				ResultSetMetaData meta = rs.getMetaData();
				columns = new String[meta.getColumnCount()];
				for (int i = 0; i < columns.length; i++) {
					columns[i] = AudienceColumns.normalise(meta.getColumnLabel(i + 1));
				}
			}
			String key = null;
			Map<String, String> values = new LinkedHashMap<>();
			for (int i = 0; i < columns.length; i++) {
				String column = columns[i];
				if (column.equals(KEY)) {
					key = rs.getString(i + 1);
				}
				else if (!column.equals(AudienceColumns.ACCOUNT_ID)) {
					values.put(column, rs.getString(i + 1));
				}
			}
			values.put(AudienceColumns.ACCOUNT_ID, key);
			return new KeyedRow(key, AudienceColumns.toRow(values));
		}

	}

	private void checkParameters() {
		List<SqlParameter> used = NamedParameterUtils.buildSqlParameterList(
				NamedParameterUtils.parseSqlStatement(this.query), new MapSqlParameterSource(this.params));
		Set<String> unbound = new TreeSet<>();
		for (SqlParameter parameter : used) {
			if (LAST_ACCOUNT_ID.equals(parameter.getName())) {
				throw new AudienceSourceException(
						"The audience query must not use :" + LAST_ACCOUNT_ID + ", makegood binds it for paging");
			}
			if (!this.params.containsKey(parameter.getName())) {
				unbound.add(":" + parameter.getName());
			}
		}
		if (!unbound.isEmpty()) {
			throw new AudienceSourceException("The audience query uses " + unbound + " but no value is bound"
					+ (unbound.contains(":" + WINDOW_START) || unbound.contains(":" + WINDOW_END)
							? "; :windowStart and :windowEnd need a window (start and end) in the incident spec"
							: ""));
		}
	}

	private AudienceSourceException failed(DataAccessException ex) {
		String cause = ex.getMostSpecificCause().getMessage();
		return new AudienceSourceException("The audience query failed: " + cause
				+ " (it runs wrapped in a paging subquery, so it must be one select returning an account_id column)",
				ex);
	}

	private record KeyedRow(String key, SourceRow row) {
	}

	private static final class ConsumerFailure extends RuntimeException {

		ConsumerFailure(RuntimeException cause) {
			super(cause);
		}

		@Override
		public synchronized RuntimeException getCause() {
			return (RuntimeException) super.getCause();
		}

	}

}
