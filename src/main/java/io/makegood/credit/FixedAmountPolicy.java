package io.makegood.credit;

import io.makegood.audience.AudienceRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The same amount for every account of a currency. A per-currency amount wins over the single {@code amount},
 * which is read in the account's own currency (5 means 5 USD for a USD account and 5 JPY for a JPY one).
 */
public final class FixedAmountPolicy implements CompensationPolicy {

	private final BigDecimal amount;

	private final Map<String, BigDecimal> amountsByCurrency;

	private final RoundingMode rounding;

	private final GrantTerms terms;

	public FixedAmountPolicy(BigDecimal amount, Map<String, BigDecimal> amountsByCurrency, RoundingMode rounding,
			ApplyMode applyMode, Duration expires) {
		this.amount = amount;
		this.amountsByCurrency = normalizedKeys(amountsByCurrency);
		if (amount == null && this.amountsByCurrency.isEmpty()) {
			throw new IllegalArgumentException("a fixed compensation needs an amount or amounts per currency");
		}
		this.rounding = Objects.requireNonNull(rounding, "rounding");
		this.terms = new GrantTerms(applyMode, expires);
	}

	@Override
	public Credit grant(AudienceRow row, Instant grantedAt) {
		Currency currency = Currencies.parse(row.currency())
			.orElseThrow(() -> new IllegalArgumentException(
					"account " + row.accountId() + " has no valid ISO-4217 currency"));
		BigDecimal value = amountFor(currency)
			.orElseThrow(() -> new IllegalArgumentException("no fixed amount for " + currency.getCurrencyCode()
					+ ", the currency of account " + row.accountId()));
		return terms.credit(CompensationKind.FIXED, Money.of(value, currency, rounding), null, grantedAt);
	}

	Optional<BigDecimal> amountFor(Currency currency) {
		BigDecimal specific = amountsByCurrency.get(currency.getCurrencyCode());
		return Optional.ofNullable(specific != null ? specific : amount);
	}

	private static Map<String, BigDecimal> normalizedKeys(Map<String, BigDecimal> amounts) {
		Map<String, BigDecimal> normalized = new HashMap<>();
		if (amounts != null) {
			amounts.forEach((code, value) -> normalized.put(Currencies.normalize(code),
					Objects.requireNonNull(value, () -> "amount for " + code)));
		}
		return Map.copyOf(normalized);
	}

}
