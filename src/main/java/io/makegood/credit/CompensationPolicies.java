package io.makegood.credit;

import io.makegood.audience.AudienceRow;
import io.makegood.incident.IncidentSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Optional;

/** Turns an incident's compensation section into a policy, and screens rows that policy could not credit. */
public final class CompensationPolicies {

	public static final String MISSING_FEE = "missing-fee";

	public static final String MISSING_CURRENCY = "missing-currency";

	public static final String NO_AMOUNT_FOR_CURRENCY = "no-amount-for-currency";

	/** A negative fee would make a negative credit: the customer charged instead of credited. */
	public static final String NEGATIVE_FEE = "negative-fee";

	/** A single fixed amount with more decimals than the account's currency has (0.50 for a JPY account). */
	public static final String AMOUNT_NOT_PAYABLE = "amount-not-payable-in-currency";

	private CompensationPolicies() {
	}

	/** A null apply mode means AUTOMATIC, the same default as {@link IncidentSpec.Compensation#none()}. */
	public static CompensationPolicy from(IncidentSpec.Compensation c, RoundingMode rounding) {
		if (c == null || c.kind() == null || c.kind() == CompensationKind.NONE) {
			return new NoCompensationPolicy();
		}
		ApplyMode apply = c.apply() != null ? c.apply() : ApplyMode.AUTOMATIC;
		return switch (c.kind()) {
			case PERCENT_OF_FEE -> new PercentOfFeePolicy(c.percent(), rounding, apply, c.expires());
			case FIXED -> new FixedAmountPolicy(c.amount(), c.amounts(), rounding, apply, c.expires());
			case COMPLIMENTARY -> new ComplimentaryPolicy(c.item(), apply, c.expires());
			case NONE -> new NoCompensationPolicy();
		};
	}

	/**
	 * Why {@code row} cannot be credited under {@code c}, as a reject reason code ({@value #MISSING_FEE},
	 * {@value #NEGATIVE_FEE}, {@value #MISSING_CURRENCY}, {@value #NO_AMOUNT_FOR_CURRENCY},
	 * {@value #AMOUNT_NOT_PAYABLE}), or empty when a policy built by
	 * {@link #from} will grant it. When a percent-of-fee row lacks both fee and currency, the fee is reported.
	 */
	public static Optional<String> cannotGrant(IncidentSpec.Compensation c, AudienceRow row) {
		if (c == null || c.kind() == null) {
			return Optional.empty();
		}
		return switch (c.kind()) {
			case PERCENT_OF_FEE -> {
				if (row.monthlyFee() == null) {
					yield Optional.of(MISSING_FEE);
				}
				if (row.monthlyFee().signum() < 0) {
					yield Optional.of(NEGATIVE_FEE);
				}
				yield Currencies.parse(row.currency()).isEmpty() ? Optional.of(MISSING_CURRENCY) : Optional.empty();
			}
			case FIXED -> {
				Optional<Currency> currency = Currencies.parse(row.currency());
				if (currency.isEmpty()) {
					yield Optional.of(MISSING_CURRENCY);
				}
				FixedAmountPolicy policy = new FixedAmountPolicy(c.amount(), c.amounts(), Money.DEFAULT_ROUNDING,
						ApplyMode.AUTOMATIC, null);
				Optional<BigDecimal> amount = policy.amountFor(currency.get());
				if (amount.isEmpty()) {
					yield Optional.of(NO_AMOUNT_FOR_CURRENCY);
				}
				// the spec reader checks amounts given per currency; one amount for every currency meets each here
				yield amount.get().stripTrailingZeros().scale() > currency.get().getDefaultFractionDigits()
						? Optional.of(AMOUNT_NOT_PAYABLE) : Optional.empty();
			}
			case COMPLIMENTARY, NONE -> Optional.empty();
		};
	}

}
