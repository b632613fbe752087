package io.makegood.credit.claim;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.delivery.ClaimUrls;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues claim links. A link is issued while its message is rendered and its hash is committed in a
 * transaction of its own before the message reaches the transport, so a sent link always works.
 * <p>
 * Re-rendering a message (a resumed run, or an operator resending an IN_DOUBT message) issues another token and
 * leaves the earlier ones valid: the copy that may have been delivered is the one a receiver deduplicating by
 * Message-ID keeps, so its link must keep working. Every token of an account leads to the same credit, which is
 * applied once.
 */
public class ClaimLinks {

	public static final String MESSAGE = "message";

	public static final String REMINDER = "reminder";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate ownTransaction;

	private final ClaimTokens tokens;

	private final String publicBaseUrl;

	private final Clock clock;

	/** @param ownTransaction a REQUIRES_NEW template, so the hash is committed whatever the caller does next */
	public ClaimLinks(JdbcTemplate jdbc, TransactionTemplate ownTransaction, ClaimTokens tokens, String publicBaseUrl,
			Clock clock) {
		this.jdbc = jdbc;
		this.ownTransaction = ownTransaction;
		this.tokens = tokens;
		this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.strip().replaceAll("/+$", "");
		this.clock = clock;
	}

	/** Links for the messages of one incident: only CLAIMABLE credits get one. */
	public ClaimUrls forIncident(String incidentId, String purpose) {
		return (accountId, credit) -> isClaimable(credit) ? issue(incidentId, accountId, purpose, credit.expiresAt())
				: null;
	}

	/** @return the full link; the raw token is not kept anywhere else */
	public String issue(String incidentId, String accountId, String purpose, Instant expiresAt) {
		if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
			throw new IllegalStateException(
					"makegood.public-base-url is not set: claim links need the address customers reach 'makegood serve' at");
		}
		String token = tokens.newToken();
		Timestamp now = Timestamp.from(clock.instant());
		ownTransaction.executeWithoutResult(status -> jdbc.update("""
				insert into mg_claim_token (token_hash, incident_id, account_id, purpose, expires_at, created_at)
				values (?, ?, ?, ?, ?, ?)""", ClaimTokens.hash(token), incidentId, accountId, purpose,
				expiresAt == null ? null : Timestamp.from(expiresAt), now));
		return publicBaseUrl + "/claim/" + token;
	}

	static boolean isClaimable(Credit credit) {
		return credit != null && credit.status() == CreditStatus.CLAIMABLE;
	}

}
