package io.makegood.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/** An amount in an ISO-4217 currency, always at that currency's minor-unit scale (USD 2, JPY 0, BHD 3). */
public record Money(BigDecimal amount, Currency currency) {

	public Money {
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(currency, "currency");
		if (amount.scale() != digits(currency)) {
			throw new IllegalArgumentException(
					amount + " is not at the minor-unit scale of " + currency.getCurrencyCode());
		}
	}

	public static Money of(BigDecimal amount, String currencyCode, RoundingMode rounding) {
		Currency currency = Currency.getInstance(currencyCode);
		return new Money(amount.setScale(digits(currency), rounding), currency);
	}

	public String currencyCode() {
		return currency.getCurrencyCode();
	}

	/** Formatted for a reader in {@code locale}, e.g. "$0.24" or "0,24 €". */
	public String format(Locale locale) {
		NumberFormat format = NumberFormat.getCurrencyInstance(locale);
		format.setCurrency(currency);
		format.setMinimumFractionDigits(digits(currency));
		format.setMaximumFractionDigits(digits(currency));
		return format.format(amount);
	}

	@Override
	public String toString() {
		return amount.toPlainString() + " " + currencyCode();
	}

	private static int digits(Currency currency) {
		return Math.max(currency.getDefaultFractionDigits(), 0);
	}

}
