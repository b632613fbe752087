package io.makegood.credit.claim;

import java.sql.Timestamp;
import java.time.Clock;

import io.makegood.incident.IncidentRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Withdraws credits granted by mistake. Only unclaimed (CLAIMABLE) credits are revoked: a claimed credit has
 * reached billing and is corrected there. The revocation is recorded as an incident event in the same
 * transaction, and the credits' links then show the revoked page.
 */
public class Revocation {

	private final JdbcTemplate jdbc;

	private final IncidentRepository incidents;

	private final TransactionTemplate transaction;

	private final Clock clock;

	public Revocation(JdbcTemplate jdbc, IncidentRepository incidents, TransactionTemplate transaction, Clock clock) {
		this.jdbc = jdbc;
		this.incidents = incidents;
		this.transaction = transaction;
		this.clock = clock;
	}

	/**
	 * @param accountId one account, or null for every unclaimed credit of the incident
	 * @return how many credits were revoked
	 */
	public int revoke(String incidentId, String accountId) {
		Integer revoked = transaction.execute(status -> {
			Timestamp now = Timestamp.from(clock.instant());
			int count = accountId == null
					? jdbc.update("update mg_credit set status = 'REVOKED', updated_at = ? "
							+ "where incident_id = ? and status = 'CLAIMABLE'", now, incidentId)
					: jdbc.update("update mg_credit set status = 'REVOKED', updated_at = ? "
							+ "where incident_id = ? and account_id = ? and status = 'CLAIMABLE'", now, incidentId,
							accountId);
			if (count > 0) {
				incidents.recordEvent(incidentId, "CREDITS_REVOKED",
						count + " unclaimed credit(s) revoked" + (accountId == null ? "" : " (account " + accountId + ")"));
			}
			return count;
		});
		return revoked == null ? 0 : revoked;
	}

	/** @return the credit's status, or null when the account has none in that incident */
	public String statusOf(String incidentId, String accountId) {
		return jdbc.query("select status from mg_credit where incident_id = ? and account_id = ?",
				rs -> rs.next() ? rs.getString(1) : null, incidentId, accountId);
	}

}
