package io.makegood.credit;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.makegood.db.BulkInsert;
import io.makegood.db.SqlDialect;
import io.makegood.db.SqlDialect.Column;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The credit ledger: one row per (incident, account), enforced by the table's primary key. Granting twice is
 * a no-op, which is what makes a retried chunk or a restarted run safe.
 */
public class CreditLedger {

	public record Entry(String accountId, Credit credit) {
	}

	private static final List<Column> COLUMNS = List.of(new Column("incident_id", "varchar(200)"),
			new Column("account_id", "varchar(100)"), new Column("kind", "varchar(20)"),
			new Column("amount", "numeric(19,6)"), new Column("currency", "char(3)"),
			new Column("item", "varchar(200)"), new Column("status", "varchar(20)"),
			new Column("expires_at", "timestamp with time zone"), new Column("created_at", "timestamp with time zone"),
			new Column("updated_at", "timestamp with time zone"));

	private static final int ROWS_PER_STATEMENT = 1000;

	private final JdbcTemplate jdbc;

	private final BulkInsert<Row> insert;

	public CreditLedger(JdbcTemplate jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.insert = new BulkInsert<>(dialect, "mg_credit", COLUMNS, List.of("incident_id", "account_id"),
				ROWS_PER_STATEMENT, CreditLedger::bind);
	}

	/** @return how many credits were new (the rest had been granted by an earlier attempt) */
	public int grant(String incidentId, List<Entry> entries, Instant now) {
		Timestamp at = Timestamp.from(now);
		return insert.insertNew(jdbc, entries.stream().map(e -> new Row(incidentId, e, at)).toList());
	}

	private static void bind(BulkInsert.Values values, Row row) throws SQLException {
		Credit c = row.entry().credit();
		values.string(row.incidentId())
			.string(row.entry().accountId())
			.string(c.kind().name())
			.decimal(c.amount() == null ? null : c.amount().amount())
			.string(c.amount() == null ? null : c.amount().currencyCode())
			.string(c.item())
			.string(c.status().name())
			.timestamp(c.expiresAt() == null ? null : Timestamp.from(c.expiresAt()))
			.timestamp(row.at())
			.timestamp(row.at());
	}

	private record Row(String incidentId, Entry entry, Timestamp at) {
	}

}
