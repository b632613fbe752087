package io.makegood.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

import javax.sql.DataSource;

import io.makegood.db.SqlDialect;
import io.makegood.outbox.OutboxRepository.Outcome;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * One sending connection's view of the outbox, on a database connection of its own for the whole step. It
 * records the outcome of the message just sent and claims the next one in a single commit: the hot path of
 * delivery costs one database round trip per message, and a crash still leaves at most one row of this lane
 * in SENDING. On PostgreSQL both updates are one statement; on HSQLDB, which runs in-process, two statements in
 * one transaction cost no round trip at all.
 */
public final class OutboxLane implements AutoCloseable {

	/** The one SENDING → outcome transition; {@link OutboxRepository#record} batches the same statement. */
	static final String RECORD = """
			update mg_outbox set status = ?, sent_at = ?, last_error = ?, next_attempt_at = ?, updated_at = ?
			where incident_id = ? and account_id = ? and status = 'SENDING'""";

	/** The one PENDING/RETRY → SENDING transition; {@link OutboxRepository#claim} batches the same statement. */
	static final String CLAIM = """
			update mg_outbox set status = 'SENDING', claimed_by = ?, claimed_at = ?, updated_at = ?,
			  attempts = attempts + 1
			where incident_id = ? and account_id = ? and status in ('PENDING', 'RETRY')""";

	private static final String RECORD_AND_CLAIM = "with recorded as (" + RECORD + " returning 1), claimed as ("
			+ CLAIM + " returning 1) select count(*) from claimed";

	private final String incidentId;

	private final long senderId;

	private final SqlDialect dialect;

	private final Connection connection;

	private final PreparedStatement recordAndClaim;

	private final PreparedStatement record;

	private final PreparedStatement claim;

	OutboxLane(DataSource dataSource, SqlDialect dialect, String incidentId, long senderId) {
		this.incidentId = incidentId;
		this.senderId = senderId;
		this.dialect = dialect;
		try {
			this.connection = dataSource.getConnection();
			this.connection.setAutoCommit(dialect == SqlDialect.POSTGRESQL);
			this.recordAndClaim = dialect == SqlDialect.POSTGRESQL ? connection.prepareStatement(RECORD_AND_CLAIM)
					: null;
			this.record = connection.prepareStatement(RECORD);
			this.claim = connection.prepareStatement(CLAIM);
		}
		catch (SQLException ex) {
			throw failure("open a delivery lane", ex);
		}
	}

	/**
	 * Commits the previous message's outcome (if any) and claims the next account's row.
	 * @return whether this lane now owns the row; false when it was sent, claimed or settled elsewhere
	 */
	public boolean recordAndClaim(Outcome previous, String accountId, Instant now) {
		try {
			if (recordAndClaim != null) {
				bindRecord(recordAndClaim, 1, previous, now);
				bindClaim(recordAndClaim, 8, accountId, now);
				try (ResultSet rs = recordAndClaim.executeQuery()) {
					return rs.next() && rs.getInt(1) > 0;
				}
			}
			if (previous != null) {
				bindRecord(record, 1, previous, now);
				record.executeUpdate();
			}
			bindClaim(claim, 1, accountId, now);
			boolean claimed = claim.executeUpdate() > 0;
			connection.commit();
			return claimed;
		}
		catch (SQLException ex) {
			rollbackQuietly();
			throw failure("record and claim a message", ex);
		}
	}

	/** Commits the outcome of the lane's last message. */
	public void record(Outcome outcome, Instant now) {
		try {
			bindRecord(record, 1, outcome, now);
			record.executeUpdate();
			if (dialect != SqlDialect.POSTGRESQL) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			rollbackQuietly();
			throw failure("record a message's outcome", ex);
		}
	}

	private void bindRecord(PreparedStatement statement, int first, Outcome outcome, Instant now) throws SQLException {
		Timestamp at = Timestamp.from(now);
		if (outcome == null) {
			statement.setString(first, OutboxStatus.SENDING.name());
			statement.setNull(first + 1, Types.TIMESTAMP);
			statement.setNull(first + 2, Types.VARCHAR);
			statement.setNull(first + 3, Types.TIMESTAMP);
			statement.setTimestamp(first + 4, at);
			statement.setString(first + 5, incidentId);
			statement.setNull(first + 6, Types.VARCHAR);
			return;
		}
		statement.setString(first, outcome.status().name());
		setTimestamp(statement, first + 1, outcome.status() == OutboxStatus.SENT ? at : null);
		statement.setString(first + 2, OutboxRepository.truncate(outcome.reason()));
		setTimestamp(statement, first + 3, outcome.nextAttemptAt() == null ? null : Timestamp.from(outcome.nextAttemptAt()));
		statement.setTimestamp(first + 4, at);
		statement.setString(first + 5, incidentId);
		statement.setString(first + 6, outcome.accountId());
	}

	private void bindClaim(PreparedStatement statement, int first, String accountId, Instant now) throws SQLException {
		Timestamp at = Timestamp.from(now);
		statement.setLong(first, senderId);
		statement.setTimestamp(first + 1, at);
		statement.setTimestamp(first + 2, at);
		statement.setString(first + 3, incidentId);
		statement.setString(first + 4, accountId);
	}

	private static void setTimestamp(PreparedStatement statement, int index, Timestamp value) throws SQLException {
		if (value == null) {
			statement.setNull(index, Types.TIMESTAMP);
		}
		else {
			statement.setTimestamp(index, value);
		}
	}

	private void rollbackQuietly() {
		try {
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
		}
		catch (SQLException ex) {
			// the connection is broken; closing it returns nothing half-done to the pool
		}
	}

	private static DataAccessResourceFailureException failure(String what, SQLException ex) {
		return new DataAccessResourceFailureException("Could not " + what + ": " + ex.getMessage(), ex);
	}

	@Override
	public void close() {
		try (Connection closing = connection) {
			if (!closing.getAutoCommit()) {
				closing.rollback();
				closing.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			// nothing uncommitted is left: every method commits before it returns
		}
	}

}
