package io.makegood.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import io.makegood.db.SqlDialect;
import io.makegood.outbox.OutboxRepository.Outcome;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;

/**
 * One sending connection's view of the outbox, on a database connection of its own for the whole step. A lane
 * works in batches: one commit settles the outcomes of the batch just sent, returns rows it claimed but never
 * handed to the transport, and claims the next batch. Delivery thus costs one commit per batch rather than per
 * message; the {@link LaneJournal} keeps a crash from turning a whole claimed batch into IN_DOUBT rows.
 * On PostgreSQL the outcomes and the claim are one statement each per batch, not one per row.
 */
public final class OutboxLane implements AutoCloseable {

	/** The one SENDING → outcome transition; {@link OutboxRepository#record} batches the same statement. */
	static final String RECORD = """
			update mg_outbox set status = ?, sent_at = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
			where incident_id = ? and account_id = ? and status = 'SENDING'""";

	/** The arguments of {@link #RECORD} for an outcome settled at {@code at}, for every batch of it. */
	static Object[] recordArguments(String incidentId, Outcome outcome, Timestamp at) {
		return new Object[] { outcome.status().name(), outcome.status() == OutboxStatus.SENT ? at : null,
				OutboxRepository.truncate(outcome.reason()),
				outcome.nextAttemptAt() == null ? null : Timestamp.from(outcome.nextAttemptAt()), at, incidentId,
				outcome.accountId() };
	}

	/** The one PENDING/RETRY → SENDING transition; {@link OutboxRepository#claim} batches the same statement. */
	static final String CLAIM = """
			update mg_outbox set status = 'SENDING', claimed_by = ?, claimed_at = ?, updated_at = ?,
			  attempts = attempts + 1
			where incident_id = ? and account_id = ? and status in ('PENDING', 'RETRY')""";

	/** A claimed row that never reached the transport goes back to the queue, as if it had never been claimed. */
	static final String RELEASE = """
			update mg_outbox set status = 'PENDING', attempts = attempts - 1, updated_at = ?
			where incident_id = ? and account_id = ? and status = 'SENDING' and claimed_by = ?""";

	/**
	 * {@link #CLAIM} for a whole batch in one statement, on PostgreSQL: one executor run instead of one per row.
	 * The rows are locked in account order, as the batched form locks them, so claimers still cannot deadlock.
	 */
	static final String CLAIM_ALL = """
			with claimable as (
			  select account_id from mg_outbox
			  where incident_id = ? and account_id = any (?) and status in ('PENDING', 'RETRY')
			  order by account_id
			  for update)
			update mg_outbox o set status = 'SENDING', claimed_by = ?, claimed_at = ?, updated_at = ?,
			  attempts = o.attempts + 1
			from claimable c
			where o.incident_id = ? and o.account_id = c.account_id and o.status in ('PENDING', 'RETRY')
			returning o.account_id""";

	/** {@link #RECORD} for a whole batch of outcomes in one statement, on PostgreSQL. */
	static final String RECORD_ALL = """
			update mg_outbox o set status = v.status,
			  sent_at = case when v.status = 'SENT' then cast(? as timestamptz) end, last_error = v.reason,
			  next_attempt_at = v.next_attempt_at, updated_at = ?
			from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])
			  as v(account_id, status, reason, next_attempt_at)
			where o.incident_id = ? and o.account_id = v.account_id and o.status = 'SENDING'""";

	private final String incidentId;

	private final long senderId;

	/** Whether a batch is claimed and recorded in one statement each ({@link #CLAIM_ALL}, {@link #RECORD_ALL}). */
	private final boolean setBased;

	private final LaneJournal journal;

	private final Connection connection;

	private final PreparedStatement record;

	private final PreparedStatement release;

	private final PreparedStatement claim;

	private final List<Outcome> outcomes = new ArrayList<>();

	private final List<String> released = new ArrayList<>();

	OutboxLane(DataSource dataSource, SqlDialect dialect, String incidentId, long senderId, LaneJournal journal) {
		this.incidentId = incidentId;
		this.senderId = senderId;
		this.journal = journal;
		this.setBased = dialect == SqlDialect.POSTGRESQL;
		try {
			this.connection = dataSource.getConnection();
			this.connection.setAutoCommit(false);
			this.record = connection.prepareStatement(setBased ? RECORD_ALL : RECORD);
			this.release = connection.prepareStatement(RELEASE);
			this.claim = connection.prepareStatement(setBased ? CLAIM_ALL : CLAIM);
		}
		catch (SQLException ex) {
			throw failure("open a delivery lane", ex);
		}
	}

	/**
	 * Claims the next batch of accounts' rows, in the same commit as the outcomes and releases noted since the
	 * last one.
	 * @return the accounts this lane now owns; the others were sent, claimed or settled elsewhere
	 */
	public Set<String> claim(List<String> accountIds, Instant now) {
		if (journal.isLarge()) {
			commit(now);
			journal.clear();
		}
		// every claimer locks rows in one order, so two processes claiming overlapping batches wait, not deadlock
		List<String> lockOrder = accountIds.stream().sorted().toList();
		journal.claiming(lockOrder);
		return commitWith(lockOrder, now);
	}

	/** Notes that a claimed row is being handed to the transport; from now on a crash leaves it IN_DOUBT. */
	public void sending(String accountId) {
		journal.sending(accountId);
	}

	/** Notes a sent message's outcome; it is committed with the next claim or {@link #commit}. */
	public void settled(Outcome outcome, Instant now) {
		journal.settled(outcome, now);
		outcomes.add(outcome);
	}

	/** Notes a claimed row that was never handed to the transport: it goes back to PENDING at the next commit. */
	public void release(String accountId) {
		released.add(accountId);
	}

	public boolean hasUncommitted() {
		return !outcomes.isEmpty() || !released.isEmpty();
	}

	/** Commits the outcomes and releases noted so far. */
	public void commit(Instant now) {
		if (hasUncommitted()) {
			commitWith(List.of(), now);
		}
	}

	private Set<String> commitWith(List<String> claims, Instant now) {
		Timestamp at = Timestamp.from(now);
		try {
			recordOutcomes(at);
			for (String accountId : released) {
				release.setTimestamp(1, at);
				release.setString(2, incidentId);
				release.setString(3, accountId);
				release.setLong(4, senderId);
				release.addBatch();
			}
			if (!released.isEmpty()) {
				release.executeBatch();
			}
			Set<String> claimed = claimRows(claims, at);
			connection.commit();
			outcomes.clear();
			released.clear();
			return claimed;
		}
		catch (SQLException ex) {
			rollbackQuietly();
			throw failure("settle and claim messages", ex);
		}
	}

	private void recordOutcomes(Timestamp at) throws SQLException {
		if (outcomes.isEmpty()) {
			return;
		}
		if (setBased) {
			recordAll(at);
			return;
		}
		for (Outcome outcome : outcomes) {
			new ArgumentPreparedStatementSetter(recordArguments(incidentId, outcome, at)).setValues(record);
			record.addBatch();
		}
		record.executeBatch();
	}

	private Set<String> claimRows(List<String> accountIds, Timestamp at) throws SQLException {
		if (accountIds.isEmpty()) {
			return Set.of();
		}
		if (setBased) {
			return claimAll(accountIds, at);
		}
		for (String accountId : accountIds) {
			claim.setLong(1, senderId);
			claim.setTimestamp(2, at);
			claim.setTimestamp(3, at);
			claim.setString(4, incidentId);
			claim.setString(5, accountId);
			claim.addBatch();
		}
		int[] counts = claim.executeBatch();
		Set<String> claimed = new HashSet<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0) {
				claimed.add(accountIds.get(i));
			}
		}
		return claimed;
	}

	private void recordAll(Timestamp at) throws SQLException {
		int size = outcomes.size();
		String[] accountIds = new String[size];
		String[] statuses = new String[size];
		String[] reasons = new String[size];
		Timestamp[] nextAttempts = new Timestamp[size];
		for (int i = 0; i < size; i++) {
			Outcome outcome = outcomes.get(i);
			accountIds[i] = outcome.accountId();
			statuses[i] = outcome.status().name();
			reasons[i] = OutboxRepository.truncate(outcome.reason());
			nextAttempts[i] = outcome.nextAttemptAt() == null ? null : Timestamp.from(outcome.nextAttemptAt());
		}
		record.setTimestamp(1, at);
		record.setTimestamp(2, at);
		record.setArray(3, connection.createArrayOf("varchar", accountIds));
		record.setArray(4, connection.createArrayOf("varchar", statuses));
		record.setArray(5, connection.createArrayOf("varchar", reasons));
		record.setArray(6, connection.createArrayOf("timestamptz", nextAttempts));
		record.setString(7, incidentId);
		record.executeUpdate();
	}

	private Set<String> claimAll(List<String> accountIds, Timestamp at) throws SQLException {
		claim.setString(1, incidentId);
		claim.setArray(2, connection.createArrayOf("varchar", accountIds.toArray(String[]::new)));
		claim.setLong(3, senderId);
		claim.setTimestamp(4, at);
		claim.setTimestamp(5, at);
		claim.setString(6, incidentId);
		Set<String> claimed = new HashSet<>();
		try (ResultSet rows = claim.executeQuery()) {
			while (rows.next()) {
				claimed.add(rows.getString(1));
			}
		}
		return claimed;
	}

	private void rollbackQuietly() {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// the connection is broken; closing it returns nothing half-done to the pool
		}
	}

	private static DataAccessResourceFailureException failure(String what, SQLException ex) {
		return new DataAccessResourceFailureException("Could not " + what + ": " + ex.getMessage(), ex);
	}

	/** Ends the lane; its journal goes too, unless something it notes never reached the database. */
	@Override
	public void close() {
		if (hasUncommitted()) {
			journal.keep();
		}
		else {
			journal.close();
		}
		try (Connection closing = connection) {
			closing.rollback();
			closing.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// nothing uncommitted is lost: the journal stays for the next run
		}
	}

}
