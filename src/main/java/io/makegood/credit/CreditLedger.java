package io.makegood.credit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

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

	private final JdbcTemplate jdbc;

	private final String insert;

	public CreditLedger(JdbcTemplate jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.insert = dialect.insertIgnoringDuplicates("mg_credit", COLUMNS, List.of("incident_id", "account_id"));
	}

	/** @return how many credits were new (the rest had been granted by an earlier attempt) */
	public int grant(String incidentId, List<Entry> entries, Instant now) {
		Timestamp at = Timestamp.from(now);
		List<Object[]> rows = entries.stream().map(e -> {
			Credit c = e.credit();
			return new Object[] { incidentId, e.accountId(), c.kind().name(),
					c.amount() == null ? null : c.amount().amount(),
					c.amount() == null ? null : c.amount().currencyCode(), c.item(), c.status().name(),
					c.expiresAt() == null ? null : Timestamp.from(c.expiresAt()), at, at };
		}).toList();
		int created = 0;
		for (int count : jdbc.batchUpdate(insert, rows)) {
			created += SqlDialect.inserted(count) ? 1 : 0;
		}
		return created;
	}

}
