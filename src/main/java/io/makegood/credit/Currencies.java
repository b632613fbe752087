package io.makegood.credit;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Reads currency codes as audience sources write them: " usd" is USD, "US$" is not a currency. */
final class Currencies {

	/** Parsed once per distinct code rather than once per account: an audience uses a handful of currencies. */
	private static final Map<String, Optional<Currency>> PARSED = new ConcurrentHashMap<>();

	private static final int MAX_CACHED = 1000;

	private Currencies() {
	}

	static Optional<Currency> parse(String code) {
		if (code == null) {
			return Optional.empty();
		}
		Optional<Currency> cached = PARSED.get(code);
		if (cached != null) {
			return cached;
		}
		Optional<Currency> parsed = parseUncached(code);
		if (PARSED.size() < MAX_CACHED) {
			PARSED.put(code, parsed);
		}
		return parsed;
	}

	private static Optional<Currency> parseUncached(String code) {
		String normalized = code.strip().toUpperCase(Locale.ROOT);
		if (!isThreeLetters(normalized)) {
			return Optional.empty();
		}
		try {
			return Optional.of(Currency.getInstance(normalized));
		}
		catch (IllegalArgumentException notIso4217) {
			return Optional.empty();
		}
	}

	private static boolean isThreeLetters(String code) {
		if (code.length() != 3) {
			return false;
		}
		for (int i = 0; i < 3; i++) {
			char c = code.charAt(i);
			if (c < 'A' || c > 'Z') {
				return false;
			}
		}
		return true;
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
