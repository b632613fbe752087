package io.makegood.credit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The part of a grant every policy shares: how the credit is applied and how long it lasts. */
record GrantTerms(ApplyMode applyMode, Duration expires) {

	GrantTerms {
		Objects.requireNonNull(applyMode, "applyMode");
		if (expires != null && (expires.isNegative() || expires.isZero())) {
			throw new IllegalArgumentException("expires must be positive, was " + expires);
		}
	}

	CreditStatus status() {
		return switch (applyMode) {
			case AUTOMATIC -> CreditStatus.APPLIED;
			case CLAIM_LINK -> CreditStatus.CLAIMABLE;
		};
	}

	Instant expiresAt(Instant grantedAt) {
		Objects.requireNonNull(grantedAt, "grantedAt");
		return expires == null ? null : grantedAt.plus(expires);
	}

	Credit credit(CompensationKind kind, Money amount, String item, Instant grantedAt) {
		return new Credit(kind, amount, item, status(), expiresAt(grantedAt));
	}

}
