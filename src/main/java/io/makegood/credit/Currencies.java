package io.makegood.credit;

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

	static String normalize(String code) {
		return code.strip().toUpperCase(Locale.ROOT);
	}

}
