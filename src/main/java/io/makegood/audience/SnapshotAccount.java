package io.makegood.audience;

/**
 * An account as frozen in the incident's snapshot.
 *
 * @param primaryAccountId the account whose message announces this one's credit (itself unless the address is
 * shared)
 * @param covers on a primary account, how many accounts its message announces
 * @param suppressed the suppression reason, or null when the address may be mailed
 */
public record SnapshotAccount(long seq, AudienceRow row, String primaryAccountId, int covers, String suppressed) {

	public boolean isPrimary() {
		return row.accountId().equals(primaryAccountId);
	}

}
