package io.makegood.credit;

import io.makegood.audience.AudienceRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/** A percentage of the account's monthly fee, in the account's currency, e.g. 3% of 7.99 USD = 0.24 USD. */
public final class PercentOfFeePolicy implements CompensationPolicy {

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private final BigDecimal percent;

	private final RoundingMode rounding;

	private final GrantTerms terms;

	public PercentOfFeePolicy(BigDecimal percent, RoundingMode rounding, ApplyMode applyMode, Duration expires) {
		Objects.requireNonNull(percent, "percent");
		if (percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
			throw new IllegalArgumentException("percent must be within 0..100, was " + percent);
		}
		this.percent = percent;
		this.rounding = Objects.requireNonNull(rounding, "rounding");
		this.terms = new GrantTerms(applyMode, expires);
	}

	@Override
	public Credit grant(AudienceRow row, Instant grantedAt) {
		if (row.monthlyFee() == null) {
			throw new IllegalArgumentException("account " + row.accountId() + " has no monthly fee");
		}
		Currency currency = Currencies.parse(row.currency())
			.orElseThrow(() -> new IllegalArgumentException(
					"account " + row.accountId() + " has no valid ISO-4217 currency"));
		Money amount = Money.percentOf(row.monthlyFee(), percent, currency, rounding);
		return terms.credit(CompensationKind.PERCENT_OF_FEE, amount, null, grantedAt);
	}

}
