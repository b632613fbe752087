package io.makegood.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * At most N recovery messages per account per period, across incidents. Applied set-based to an incident's
 * queue right before delivery: rows of accounts that reached the cap through other incidents are held as
 * CAPPED (their credits stay granted), and CAPPED rows whose accounts are below the cap again go back to
 * PENDING. A message counts as a contact when it was SENT in the period, or is SENDING / IN_DOUBT with a
 * change in the period (it may have been delivered).
 */
public class FrequencyCap {

	public record Result(int released, int capped) {
	}

	/**
	 * Accounts with at least the cap's number of contacts through other incidents. One grouped query for the whole
	 * queue: counting per queued row cost an index probe each, and a plan big enough to be JIT-compiled.
	 */
	private static final String AT_CAP = """
			(select c.account_id from mg_outbox c
			 where c.incident_id <> ?
			   and ((c.status = 'SENT' and c.sent_at > ?) or (c.status in ('SENDING', 'IN_DOUBT') and c.updated_at > ?))
			 group by c.account_id having count(*) >= ?)""";

	private final JdbcTemplate jdbc;

	private final int messages;

	private final Duration period;

	private final Clock clock;

	/** @param messages per account per period; 0 disables the cap (and releases everything held) */
	public FrequencyCap(JdbcTemplate jdbc, int messages, Duration period, Clock clock) {
		this.jdbc = jdbc;
		this.messages = messages;
		this.period = period;
		this.clock = clock;
	}

	public Result apply(String incidentId) {
		Instant now = clock.instant();
		Timestamp at = Timestamp.from(now);
		if (messages <= 0) {
			int released = jdbc.update("update mg_outbox set status = 'PENDING', last_error = null, updated_at = ?"
					+ " where incident_id = ? and status = 'CAPPED'", at, incidentId);
			return new Result(released, 0);
		}
		Timestamp since = Timestamp.from(now.minus(period));
		int released = jdbc.update("update mg_outbox set status = 'PENDING', last_error = null, updated_at = ?"
				+ " where incident_id = ? and status = 'CAPPED' and account_id not in " + AT_CAP, at, incidentId,
				incidentId, since, since, messages);
		int capped = jdbc.update("update mg_outbox set status = 'CAPPED', updated_at = ?, last_error = ?"
				+ " where incident_id = ? and status = 'PENDING' and attempts = 0 and account_id in " + AT_CAP, at,
				"held by the frequency cap (" + messages + " per " + period + "); released once it allows",
				incidentId, incidentId, since, since, messages);
		return new Result(released, capped);
	}

	/** Incidents holding CAPPED messages, oldest first. */
	public List<String> incidentsHoldingMessages() {
		return jdbc.queryForList("""
				select incident_id from mg_outbox where status = 'CAPPED'
				group by incident_id order by min(created_at), incident_id""", String.class);
	}

	/** How many of an incident's CAPPED messages the cap would release now. */
	public long releasable(String incidentId) {
		Instant now = clock.instant();
		if (messages <= 0) {
			return jdbc.queryForObject("select count(*) from mg_outbox where incident_id = ? and status = 'CAPPED'",
					Long.class, incidentId);
		}
		Timestamp since = Timestamp.from(now.minus(period));
		return jdbc.queryForObject("select count(*) from mg_outbox where incident_id = ? and status = 'CAPPED'"
				+ " and account_id not in " + AT_CAP, Long.class, incidentId, incidentId, since, since, messages);
	}

}
