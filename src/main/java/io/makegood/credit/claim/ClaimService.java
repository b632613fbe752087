package io.makegood.credit.claim;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Looks up and applies claim links. Looking never changes anything (mail scanners pre-fetch links); claiming is
 * one conditional UPDATE from CLAIMABLE to CLAIMED, so however many requests race, exactly one applies the
 * credit and the others see it already applied.
 */
public class ClaimService {

	/** What a link leads to, from the customer's point of view. */
	public enum State {

		CLAIMABLE, CLAIMED, EXPIRED, REVOKED, UNKNOWN

	}

	/**
	 * @param claimedAt when the credit was applied; null unless CLAIMED
	 * @param locale the account's BCP-47 locale tag, may be null
	 */
	public record ClaimView(State state, String incidentId, String incidentTitle, String accountId, Credit credit,
			String locale, Instant claimedAt) {

		static ClaimView unknown() {
			return new ClaimView(State.UNKNOWN, null, null, null, null, null, null);
		}

	}

	/** @param appliedNow true for the one request that moved the credit to CLAIMED */
	public record ClaimOutcome(boolean appliedNow, ClaimView view) {
	}

	/** Told about each credit right after it was claimed, e.g. to post it to billing. */
	@FunctionalInterface
	public interface ClaimListener {

		void claimed(String incidentId, String accountId);

	}

	private static final String LOOKUP = """
			select t.incident_id, t.account_id, t.expires_at as link_expires_at, i.title, a.locale,
			  c.kind, c.amount, c.currency, c.item, c.status, c.expires_at, c.claimed_at, c.updated_at
			from mg_claim_token t
			join mg_credit c on c.incident_id = t.incident_id and c.account_id = t.account_id
			join mg_incident i on i.id = t.incident_id
			left join mg_audience a on a.incident_id = t.incident_id and a.account_id = t.account_id
			where t.token_hash = ?""";

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ClaimListener listener;

	public ClaimService(JdbcTemplate jdbc, Clock clock, ClaimListener listener) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.listener = listener;
	}

	/** Read-only. */
	public ClaimView look(String token) {
		if (!ClaimTokens.isWellFormed(token)) {
			return ClaimView.unknown();
		}
		Instant now = clock.instant();
		List<ClaimView> found = jdbc.query(LOOKUP, (rs, n) -> view(rs, now), ClaimTokens.hash(token));
		return found.isEmpty() ? ClaimView.unknown() : found.get(0);
	}

	public ClaimOutcome claim(String token) {
		ClaimView before = look(token);
		if (before.state() != State.CLAIMABLE) {
			return new ClaimOutcome(false, before);
		}
		Instant now = clock.instant();
		Timestamp at = Timestamp.from(now);
		int applied = jdbc.update("""
				update mg_credit set status = 'CLAIMED', claimed_at = ?, updated_at = ?
				where incident_id = ? and account_id = ? and status = 'CLAIMABLE'
				  and (expires_at is null or expires_at > ?)""", at, at, before.incidentId(), before.accountId(), at);
		if (applied == 1) {
			listener.claimed(before.incidentId(), before.accountId());
		}
		return new ClaimOutcome(applied == 1, look(token));
	}

	private static ClaimView view(ResultSet rs, Instant now) throws SQLException {
		Credit credit = credit(rs);
		Instant linkExpires = instant(rs, "link_expires_at");
		Instant claimedAt = instant(rs, "claimed_at");
		State state = switch (credit.status()) {
			case CLAIMED -> State.CLAIMED;
			// granted outright: nothing to claim, it is already on the account
			case APPLIED -> State.CLAIMED;
			case REVOKED -> State.REVOKED;
			case EXPIRED -> State.EXPIRED;
			case CLAIMABLE -> isPast(credit.expiresAt(), now) || isPast(linkExpires, now) ? State.EXPIRED
					: State.CLAIMABLE;
		};
		if (credit.status() == CreditStatus.APPLIED && claimedAt == null) {
			claimedAt = instant(rs, "updated_at");
		}
		return new ClaimView(state, rs.getString("incident_id"), rs.getString("title"), rs.getString("account_id"),
				credit, rs.getString("locale"), claimedAt);
	}

	private static boolean isPast(Instant expiresAt, Instant now) {
		return expiresAt != null && !expiresAt.isAfter(now);
	}

	private static Credit credit(ResultSet rs) throws SQLException {
		String currency = rs.getString("currency");
		Money amount = (currency == null || rs.getBigDecimal("amount") == null) ? null
				: Money.of(rs.getBigDecimal("amount"), currency.trim());
		return new Credit(CompensationKind.valueOf(rs.getString("kind")), amount, rs.getString("item"),
				CreditStatus.valueOf(rs.getString("status")), instant(rs, "expires_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
