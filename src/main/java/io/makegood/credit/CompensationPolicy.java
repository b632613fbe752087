package io.makegood.credit;

import io.makegood.audience.AudienceRow;

import java.time.Instant;

/**
 * Decides what one account gets for an incident. Implementations are pure functions of the row and the grant
 * time, so a rerun grants exactly the same credit.
 */
public interface CompensationPolicy {

	/**
	 * @throws IllegalArgumentException when the row lacks what the policy needs; rows are meant to be screened
	 * beforehand with {@link CompensationPolicies#cannotGrant}
	 */
	Credit grant(AudienceRow row, Instant grantedAt);

}
