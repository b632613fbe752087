package io.makegood.delivery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.makegood.audience.EmailKey;
import io.makegood.db.SqlDialect;
import io.makegood.db.SqlDialect.Column;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Addresses never to mail again (bounced, complained, unsubscribed, manual). A suppressed account is still
 * credited; only its message is withheld.
 */
public class SuppressionList {

	public enum Reason {

		BOUNCED, COMPLAINED, UNSUBSCRIBED, MANUAL

	}

	private static final List<Column> COLUMNS = List.of(new Column("email_key", "varchar(320)"),
			new Column("reason", "varchar(30)"), new Column("detail", "varchar(500)"),
			new Column("created_at", "timestamp with time zone"));

	private final JdbcTemplate jdbc;

	private final String insert;

	public SuppressionList(JdbcTemplate jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.insert = dialect.insertIgnoringDuplicates("mg_suppression", COLUMNS, List.of("email_key"));
	}

	/** @return true when the address was not suppressed before */
	public boolean add(String email, Reason reason, String detail, Instant at) {
		String trimmed = detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500);
		return jdbc.update(insert, EmailKey.of(email), reason.name(), trimmed, Timestamp.from(at)) > 0;
	}

	public boolean contains(String email) {
		return jdbc.queryForObject("select count(*) from mg_suppression where email_key = ?", Long.class,
				EmailKey.of(email)) > 0;
	}

}
