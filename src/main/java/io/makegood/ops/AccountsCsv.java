package io.makegood.ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.makegood.db.SqlDialect;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A report's accounts.csv: one line per affected account, rejected ones included, with its outcome and credit.
 * It lists account ids, never addresses: reports get passed around. On PostgreSQL the database writes the lines
 * itself with COPY, which at a million accounts takes less than half of what a cursor read and printed here
 * takes (bench/README.md); elsewhere the same query's rows are printed from JDBC.
 */
public class AccountsCsv {

	private static final String[] ACCOUNT_COLUMNS = { "account_id", "outcome", "reason", "announced_by_account",
			"credit_kind", "credit_amount", "credit_currency", "credit_item", "credit_status" };

	/** Lines as PostgreSQL's COPY writes them: RFC 4180, quoted only where needed, one LF per line. */
	private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

	/**
	 * One line per frozen account, in snapshot order: its outcome is its primary account's message, its credit
	 * its own. Computed in the database, so that PostgreSQL can write the file itself. %1$s is the incident id,
	 * %2$s the amount without trailing zeros.
	 */
	private static final String ACCOUNT_ROWS = """
			select a.account_id, coalesce(o.status, 'NOT_QUEUED') as outcome,
			  case when a.suppressed is not null then 'suppressed: ' || a.suppressed else o.last_error end as reason,
			  case when a.account_id <> a.primary_account_id then a.primary_account_id end as announced_by_account,
			  c.kind as credit_kind, %2$s as credit_amount, trim(c.currency) as credit_currency,
			  c.item as credit_item, c.status as credit_status
			from mg_audience a
			left join mg_outbox o on o.incident_id = a.incident_id and o.account_id = a.primary_account_id
			left join mg_credit c on c.incident_id = a.incident_id and c.account_id = a.account_id
			where a.incident_id = %1$s order by a.seq""";

	/** One FAILED line per source row the snapshot rejected, after the accounts; %2$s is an empty value. */
	private static final String REJECTED_ROWS = """
			select account_id, 'FAILED' as outcome,
			  'rejected at snapshot: ' || reason || coalesce(' (' || detail || ')', '') as reason,
			  %2$s as announced_by_account, %2$s as credit_kind, %2$s as credit_amount, %2$s as credit_currency,
			  %2$s as credit_item, %2$s as credit_status
			from mg_audience_reject where incident_id = %1$s order by row_no""";

	/** An empty value: null, which both ways of writing print as nothing, where COPY would quote an empty string. */
	private static final String NOTHING = "cast(null as varchar(1))";

	private final JdbcTemplate jdbc;

	private final SqlDialect dialect;

	public AccountsCsv(JdbcTemplate jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.dialect = dialect;
	}

	/** Writes the incident's lines to {@code file}, replacing it. */
	public void write(String incidentId, Path file) throws IOException {
		if (dialect.copiesRows()) {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
				copyAccounts(incidentId, out);
			}
			return;
		}
		try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
				CSVPrinter csv = CSV.builder().setHeader(ACCOUNT_COLUMNS).get().print(out)) {
			RowCallbackHandler printRow = rs -> printRow(csv, rs);
			jdbc.query(ACCOUNT_ROWS.formatted("?", "c.amount"), printRow, incidentId);
			jdbc.query(REJECTED_ROWS.formatted("?", NOTHING), printRow, incidentId);
		}
	}

	private void copyAccounts(String incidentId, OutputStream out) {
		// COPY takes no parameters; an incident id is a checked slug, quoted all the same
		String id = "E'" + incidentId.replace("\\", "\\\\").replace("'", "''") + "'";
		jdbc.execute((ConnectionCallback<Void>) connection -> {
			CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
			try {
				copy.copyOut("copy (" + ACCOUNT_ROWS.formatted(id, "trim_scale(c.amount)")
						+ ") to stdout with (format csv, header)", out);
				copy.copyOut("copy (" + REJECTED_ROWS.formatted(id, NOTHING) + ") to stdout with (format csv)", out);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return null;
		});
	}

	private static void printRow(CSVPrinter csv, ResultSet rs) throws SQLException {
		Object[] values = new Object[ACCOUNT_COLUMNS.length];
		for (int i = 0; i < values.length; i++) {
			Object value = rs.getObject(i + 1);
			values[i] = value instanceof BigDecimal amount ? amount.stripTrailingZeros().toPlainString() : value;
		}
		try {
			csv.printRecord(values);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
