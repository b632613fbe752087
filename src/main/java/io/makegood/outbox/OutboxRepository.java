package io.makegood.outbox;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.makegood.credit.Credit;
import io.makegood.db.BulkInsert;
import io.makegood.db.SqlDialect;
import io.makegood.delivery.CoveredAccount;
import io.makegood.db.SqlDialect.Column;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox: at most one message per (incident, account), enforced by the table's primary key. Every state
 * change is a conditional UPDATE on the current status, so a retried chunk or a second process can never
 * move a row twice.
 */
public class OutboxRepository {

	/** A message to queue for a primary account. */
	public record NewMessage(String accountId, long seq, String recipient, int covers, String messageId,
			boolean suppressed) {
	}

	/** What the transport said about one claimed message. */
	public record Outcome(String accountId, OutboxStatus status, String reason, Instant nextAttemptAt) {
	}

	private static final List<Column> COLUMNS = List.of(new Column("incident_id", "varchar(200)"),
			new Column("account_id", "varchar(100)"), new Column("seq", "bigint"),
			new Column("recipient", "varchar(320)"), new Column("status", "varchar(20)"),
			new Column("covers", "integer"), new Column("message_id", "varchar(300)"),
			new Column("created_at", "timestamp with time zone"), new Column("updated_at", "timestamp with time zone"));

	private final JdbcTemplate jdbc;

	private static final int ROWS_PER_STATEMENT = 1000;

	private final BulkInsert<QueuedMessage> insert;

	private final SqlDialect dialect;

	public OutboxRepository(JdbcTemplate jdbc, SqlDialect dialect) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.insert = new BulkInsert<>(dialect, "mg_outbox", COLUMNS, List.of("incident_id", "account_id"),
				ROWS_PER_STATEMENT, OutboxRepository::bind);
	}

	/** @return how many messages were new (the rest had been queued by an earlier attempt) */
	public int enqueue(String incidentId, List<NewMessage> messages, Instant now) {
		Timestamp at = Timestamp.from(now);
		return insert.insertNew(jdbc, messages.stream().map(m -> new QueuedMessage(incidentId, m, at)).toList());
	}

	private static void bind(BulkInsert.Values values, QueuedMessage queued) throws SQLException {
		NewMessage m = queued.message();
		values.string(queued.incidentId())
			.string(m.accountId())
			.number(m.seq())
			.string(m.recipient())
			.string((m.suppressed() ? OutboxStatus.SUPPRESSED : OutboxStatus.PENDING).name())
			.integer(m.covers())
			.string(m.messageId())
			.timestamp(queued.at())
			.timestamp(queued.at());
	}

	private record QueuedMessage(String incidentId, NewMessage message, Timestamp at) {
	}

	/**
	 * Rows left in SENDING by a sender that is gone may or may not have reached the server. They are held as
	 * IN_DOUBT, never resent automatically. Call {@link Senders#reapDead} first.
	 */
	public int holdOrphanedSends(String incidentId, Instant now) {
		return jdbc.update("""
				update mg_outbox set status = 'IN_DOUBT', updated_at = ?,
				  last_error = 'in flight when its sender stopped; may have been delivered'
				where incident_id = ? and status = 'SENDING'
				  and (claimed_by is null or claimed_by not in (select id from mg_sender where incident_id = ?))""",
				Timestamp.from(now), incidentId, incidentId);
	}

	/** A new run retries at once what an earlier run left for later: the operator reran it for a reason. */
	public int makeEarlierRetriesDue(String incidentId, Instant runStartedAt) {
		return jdbc.update("""
				update mg_outbox set next_attempt_at = null
				where incident_id = ? and status = 'RETRY' and updated_at < ?""", incidentId,
				Timestamp.from(runStartedAt));
	}

	/**
	 * Moves PENDING/RETRY rows to SENDING. Must be committed before anything is handed to a transport.
	 * @return the accounts this caller now owns; the others were claimed by someone else
	 */
	public List<String> claim(String incidentId, List<String> accountIds, long senderId, Instant now) {
		Timestamp at = Timestamp.from(now);
		// rows are locked in one order by every claimer, so two processes claiming batches cannot deadlock
		List<String> lockOrder = accountIds.stream().sorted().toList();
		List<Object[]> args = lockOrder.stream().map(id -> new Object[] { senderId, at, at, incidentId, id }).toList();
		int[] counts = jdbc.batchUpdate(OutboxLane.CLAIM, args);
		Set<String> claimed = new HashSet<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0) {
				claimed.add(lockOrder.get(i));
			}
		}
		return accountIds.stream().filter(claimed::contains).toList();
	}

	/** A database connection of its own for one sending connection, for the whole deliver step. */
	public OutboxLane openLane(String incidentId, long senderId, LaneJournal journal) {
		return new OutboxLane(jdbc.getDataSource(), dialect, incidentId, senderId, journal);
	}

	public void record(String incidentId, List<Outcome> outcomes, Instant now) {
		Timestamp at = Timestamp.from(now);
		jdbc.batchUpdate(OutboxLane.RECORD,
				outcomes.stream().map(o -> OutboxLane.recordArguments(incidentId, o, at)).toList());
	}

	/**
	 * Settles messages held IN_DOUBT: either they go out again (same Message-ID, so a receiver that
	 * deduplicates drops a copy it already has), or the operator confirms they arrived.
	 * @return how many rows changed
	 */
	public int resolveInDoubt(String incidentId, boolean resend, Instant now) {
		if (resend) {
			return jdbc.update("""
					update mg_outbox set status = 'PENDING', next_attempt_at = null, updated_at = ?,
					  last_error = 'resent by operator after being in doubt'
					where incident_id = ? and status = 'IN_DOUBT'""", Timestamp.from(now), incidentId);
		}
		return jdbc.update("""
				update mg_outbox set status = 'SENT', updated_at = ?,
				  last_error = 'marked sent by operator after being in doubt'
				where incident_id = ? and status = 'IN_DOUBT'""", Timestamp.from(now), incidentId);
	}

	/** After the grant step has filled the outbox, so the deliver step's page queries are planned for its size. */
	public void refreshStatistics() {
		dialect.analyze(jdbc, "mg_outbox");
		dialect.analyze(jdbc, "mg_credit");
	}

	public Map<OutboxStatus, Long> countsByStatus(String incidentId) {
		Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
		jdbc.query("select status, count(*) from mg_outbox where incident_id = ? group by status", rs -> {
			counts.put(OutboxStatus.valueOf(rs.getString(1)), rs.getLong(2));
		}, incidentId);
		return counts;
	}

	public long unfinished(String incidentId) {
		return jdbc.queryForObject(
				"select count(*) from mg_outbox where incident_id = ? and status in ('PENDING', 'RETRY', 'SENDING')",
				Long.class, incidentId);
	}

	public record Reason(String reason, long count) {
	}

	public List<Reason> topFailureReasons(String incidentId, int limit) {
		return jdbc.query("""
				select last_error, count(*) from mg_outbox
				where incident_id = ? and status in ('FAILED', 'RETRY', 'IN_DOUBT') and last_error is not null
				group by last_error order by count(*) desc, last_error""" + " fetch first " + limit + " rows only",
				(rs, n) -> new Reason(rs.getString(1), rs.getLong(2)), incidentId);
	}

	/** The other accounts whose credits a primary account's message announces (they share its address). */
	public List<CoveredAccount> coveredBy(String incidentId, String primaryAccountId) {
		return jdbc.query("""
				select a.account_id, c.kind, c.amount, c.currency as credit_currency, c.item, c.status as credit_status,
				  c.expires_at
				from mg_audience a
				join mg_credit c on c.incident_id = a.incident_id and c.account_id = a.account_id
				where a.incident_id = ? and a.primary_account_id = ? and a.account_id <> ?
				order by a.account_id""",
				(rs, n) -> new CoveredAccount(rs.getString("account_id"), OutboxReader.credit(rs)), incidentId,
				primaryAccountId, primaryAccountId);
	}

	/**
	 * An account's credit as it is now, for a message rendered well after its row was read (a long or throttled
	 * campaign). @return null when the account has none
	 */
	public Credit creditOf(String incidentId, String accountId) {
		List<Credit> credits = jdbc.query("""
				select kind, amount, currency as credit_currency, item, status as credit_status, expires_at
				from mg_credit where incident_id = ? and account_id = ?""", (rs, n) -> OutboxReader.credit(rs),
				incidentId, accountId);
		return credits.isEmpty() ? null : credits.get(0);
	}

	static String truncate(String reason) {
		return reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
	}

}
