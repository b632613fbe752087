package io.makegood.credit;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads currency codes as audience sources write them: " usd" is USD, "US$" is not a currency. */
final class Currencies {

	private static final Pattern ISO_CODE = Pattern.compile("[A-Z]{3}");

	private Currencies() {
	}

	static Optional<Currency> parse(String code) {
		if (code == null) {
			return Optional.empty();
		}
		String normalized = code.strip().toUpperCase(Locale.ROOT);
		if (!ISO_CODE.matcher(normalized).matches()) {
			return Optional.empty();
		}
		try {
			return Optional.of(Currency.getInstance(normalized));
		}
		catch (IllegalArgumentException notIso4217) {
			return Optional.empty();
		}
	}

	/**
	 * A stored amount (numeric(19,6)) written at its currency's scale: 0.240000 USD is "0.24", 700.000000 JPY
	 * "700". Digits beyond the minor unit are kept rather than rounded away, so a bad row shows instead of hiding.
	 */
	static BigDecimal atMinorScale(BigDecimal amount, String code) {
		int minimum = parse(code).map(Money::minorDigits).orElse(0);
		return amount.setScale(Math.max(minimum, Math.max(amount.stripTrailingZeros().scale(), 0)));
	}

	static String normalize(String code) {
		return code.strip().toUpperCase(Locale.ROOT);
	}

}
