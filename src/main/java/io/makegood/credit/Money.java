package io.makegood.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/** An amount in an ISO-4217 currency, always at that currency's minor-unit scale (USD 2, JPY 0, BHD 3). */
public record Money(BigDecimal amount, Currency currency) {

	/** Banker's rounding: over many credits the half-cent ties cancel out instead of always favouring one side. */
	public static final RoundingMode DEFAULT_ROUNDING = RoundingMode.HALF_EVEN;

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	public Money {
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(currency, "currency");
		if (amount.scale() != minorDigits(currency)) {
			throw new IllegalArgumentException(
					amount + " is not at the minor-unit scale of " + currency.getCurrencyCode());
		}
	}

	public static Money of(BigDecimal amount, String currencyCode, RoundingMode rounding) {
		return of(amount, Currency.getInstance(currencyCode), rounding);
	}

	public static Money of(BigDecimal amount, Currency currency, RoundingMode rounding) {
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(rounding, "rounding");
		return new Money(amount.setScale(minorDigits(currency), rounding), currency);
	}

	/** Rounds with {@link #DEFAULT_ROUNDING}. */
	public static Money of(BigDecimal amount, String currencyCode) {
		return of(amount, currencyCode, DEFAULT_ROUNDING);
	}

	/**
	 * {@code percent} % of {@code base}, rounded once at the end. The base is deliberately not a Money: a fee such
	 * as 7.995 must not be rounded before the percentage is taken, or the credit would be rounded twice.
	 */
	public static Money percentOf(BigDecimal base, BigDecimal percent, Currency currency, RoundingMode rounding) {
		Objects.requireNonNull(base, "base");
		Objects.requireNonNull(percent, "percent");
		// multiply and shift the decimal point: exact, so the only rounding is the one to the minor unit
		return of(base.multiply(percent).divide(HUNDRED), currency, rounding);
	}

	public static Money zero(Currency currency) {
		return new Money(BigDecimal.ZERO.setScale(minorDigits(currency)), currency);
	}

	/** Minor-unit digits of an ISO-4217 currency; 0 for codes without minor units such as XAU. */
	public static int minorDigits(Currency currency) {
		return Math.max(currency.getDefaultFractionDigits(), 0);
	}

	public Money plus(Money other) {
		if (!currency.equals(other.currency)) {
			throw new IllegalArgumentException(
					"cannot add " + other.currencyCode() + " to " + currencyCode());
		}
		return new Money(amount.add(other.amount), currency);
	}

	public boolean isZero() {
		return amount.signum() == 0;
	}

	public String currencyCode() {
		return currency.getCurrencyCode();
	}

	/** The amount without exponent or currency, e.g. "0.24", "700", "1.250": what machines read. */
	public String toPlainString() {
		return amount.toPlainString();
	}

	/** Formatted for a reader in {@code locale}, e.g. "$0.24" or "0,24 €". */
	public String format(Locale locale) {
		return currencyFormat(currency, locale).format(amount);
	}

	/**
	 * The format {@link #format(Locale)} uses, for callers that format many amounts: building one costs far more
	 * than using it. Like every NumberFormat it is not thread-safe.
	 */
	public static NumberFormat currencyFormat(Currency currency, Locale locale) {
		NumberFormat format = NumberFormat.getCurrencyInstance(locale);
		format.setCurrency(currency);
		format.setMinimumFractionDigits(minorDigits(currency));
		format.setMaximumFractionDigits(minorDigits(currency));
		return format;
	}

	@Override
	public String toString() {
		return amount.toPlainString() + " " + currencyCode();
	}

}
