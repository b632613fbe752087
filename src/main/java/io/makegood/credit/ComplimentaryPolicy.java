package io.makegood.credit;

import io.makegood.audience.AudienceRow;

import java.time.Duration;
import java.time.Instant;

/** Something other than money, e.g. "one movie rental"; the same for every account. */
public final class ComplimentaryPolicy implements CompensationPolicy {

	private final String item;

	private final GrantTerms terms;

	public ComplimentaryPolicy(String item, ApplyMode applyMode, Duration expires) {
		if (item == null || item.isBlank()) {
			throw new IllegalArgumentException("a complimentary compensation needs an item");
		}
		this.item = item.strip();
		this.terms = new GrantTerms(applyMode, expires);
	}

	@Override
	public Credit grant(AudienceRow row, Instant grantedAt) {
		return terms.credit(CompensationKind.COMPLIMENTARY, null, item, grantedAt);
	}

}
