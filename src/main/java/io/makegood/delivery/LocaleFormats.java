package io.makegood.delivery;

import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.makegood.credit.Money;

/**
 * The formatters one thread needs to render messages, built once instead of once per message: a currency
 * NumberFormat or a localized date formatter costs more to build than the rest of the message costs to render.
 * One instance per thread because NumberFormat is not thread-safe; each map is emptied when it grows past a
 * bound, so odd data (thousands of locale tags) costs speed, never memory.
 */
final class LocaleFormats {

	private static final ThreadLocal<LocaleFormats> CURRENT = ThreadLocal.withInitial(LocaleFormats::new);

	private static final int MAX_ENTRIES = 256;

	private final Map<String, Locale> locales = new HashMap<>();

	private final Map<Locale, DateTimeFormatter> dates = new HashMap<>();

	private final Map<CurrencyKey, NumberFormat> currencies = new HashMap<>();

	// credits are a percentage of a few plan prices, or one fixed amount: the same few texts again and again
	private final Map<AmountKey, String> amounts = new HashMap<>();

	// the incident window is the same on every message, and credits granted within a minute end in the same
	// minute: only their texts per locale are worth keeping
	private final Map<InstantKey, String> dateTimes = new HashMap<>();

	private LocaleFormats() {
	}

	static LocaleFormats current() {
		return CURRENT.get();
	}

	Locale locale(String tag, Function<String, Locale> parse) {
		return cached(this.locales, tag, parse);
	}

	String money(Money money, Locale locale) {
		return cached(this.amounts, new AmountKey(money, locale), (key) -> cached(this.currencies,
				new CurrencyKey(money.currency(), locale), (currency) -> Money.currencyFormat(money.currency(), locale))
			.format(money.amount()));
	}

	/** e.g. "November 28, 2026" (en-US) or "28 November 2026" (en-GB). */
	String date(Instant instant, Locale locale) {
		return cached(this.dates, locale,
				(key) -> DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(key).withZone(ZoneOffset.UTC))
			.format(instant);
	}

	/** e.g. "November 28, 2026, 18:05 UTC". */
	String dateTime(Instant instant, Locale locale) {
		return cached(this.dateTimes, new InstantKey(instant, locale),
				(key) -> date(instant, locale) + ", "
						+ DateTimeFormatter.ofPattern("HH:mm", locale).withZone(ZoneOffset.UTC).format(instant) + " UTC");
	}

	private static <K, V> V cached(Map<K, V> cache, K key, Function<? super K, ? extends V> create) {
		V value = cache.get(key);
		if (value == null) {
			value = create.apply(key);
			if (cache.size() >= MAX_ENTRIES) {
				cache.clear();
			}
			cache.put(key, value);
		}
		return value;
	}

	private record CurrencyKey(Currency currency, Locale locale) {
	}

	private record AmountKey(Money money, Locale locale) {
	}

	private record InstantKey(Instant instant, Locale locale) {
	}

}
