package io.makegood.credit;

import io.makegood.audience.AudienceRow;

import java.time.Instant;

/**
 * A message-only incident. It still answers with a credit (of kind NONE), so callers treat every incident alike
 * instead of special-casing a missing credit.
 */
public final class NoCompensationPolicy implements CompensationPolicy {

	private static final Credit NONE = new Credit(CompensationKind.NONE, null, null, CreditStatus.APPLIED, null);

	@Override
	public Credit grant(AudienceRow row, Instant grantedAt) {
		return NONE;
	}

}
