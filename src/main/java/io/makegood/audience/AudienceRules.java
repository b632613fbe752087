package io.makegood.audience;

import java.util.Currency;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The per-row rules a snapshot applies before an account joins the audience. Plain and stateless: rules that
 * need the whole audience (duplicate accounts) live in the snapshot, fee rules in the credit package.
 * <p>
 * Stable reject reasons (reports and the {@code mg_audience_reject} table key on them):
 * <ul>
 * <li>{@code missing-account-id}: no account_id, or only whitespace</li>
 * <li>{@code invalid-account-id}: leading/trailing whitespace, or longer than {@value #MAX_ACCOUNT_ID}</li>
 * <li>{@code control-characters}: CR, LF, any other ISO control character or U+2028/U+2029 in a field that can
 * reach a header or a template (account_id, email, name, plan, currency, locale)</li>
 * <li>{@code field-too-long}: name or plan longer than the snapshot stores</li>
 * <li>{@code missing-email}, {@code invalid-email}: see {@link EmailSyntax}</li>
 * <li>{@code invalid-currency}: present but not an upper-case ISO 4217 code</li>
 * <li>{@code invalid-locale}: present but not a well-formed BCP 47 tag ({@code en-GB}; {@code en_GB} is accepted
 * too) with a known language</li>
 * <li>anything a source reported while parsing, e.g. {@code invalid-fee}, {@code malformed-row}</li>
 * </ul>
 * A detail describes the field, never its value, since reports are shared more widely than the audience.
 */
public class AudienceRules {

	static final int MAX_ACCOUNT_ID = 100;

	static final int MAX_NAME = 200;

	static final int MAX_PLAN = 100;

	static final int MAX_LOCALE = 35;

	private static final Set<String> CURRENCY_CODES = Currency.getAvailableCurrencies()
		.stream()
		.map(Currency::getCurrencyCode)
		.collect(Collectors.toUnmodifiableSet());

	private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

	/** Checks a row as delivered by a source; what the source could not parse is reported first. */
	public Optional<Reject> check(SourceRow sourceRow) {
		if (sourceRow.hasProblems()) {
			SourceRow.Problem problem = sourceRow.problems().get(0);
			return Optional.of(new Reject(problem.reason(), problem.detail()));
		}
		return check(sourceRow.row());
	}

	/** @return the first rule {@code row} breaks, or empty when it may join the audience */
	public Optional<Reject> check(AudienceRow row) {
		if (row.accountId() == null || row.accountId().isBlank()) {
			return reject("missing-account-id", "account_id is empty");
		}
		return controlCharacters(row).or(() -> accountId(row.accountId()))
			.or(() -> tooLong("name", row.name(), MAX_NAME))
			.or(() -> tooLong("plan", row.plan(), MAX_PLAN))
			.or(() -> email(row.email()))
			.or(() -> currency(row.currency()))
			.or(() -> locale(row.locale()));
	}

	private static Optional<Reject> controlCharacters(AudienceRow row) {
		// checked once per field of every account, so plain loops rather than a chain of optionals
		Reject reject = controlCharacters("account_id", row.accountId());
		reject = (reject != null) ? reject : controlCharacters("email", row.email());
		reject = (reject != null) ? reject : controlCharacters("name", row.name());
		reject = (reject != null) ? reject : controlCharacters("plan", row.plan());
		reject = (reject != null) ? reject : controlCharacters("currency", row.currency());
		reject = (reject != null) ? reject : controlCharacters("locale", row.locale());
		return Optional.ofNullable(reject);
	}

	/** @return null when {@code value} has none; CR/LF and the Unicode separators are named before the rest */
	private static Reject controlCharacters(String field, String value) {
		if (value == null) {
			return null;
		}
		int firstControl = -1;
		boolean lineBreak = false;
		boolean separator = false;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n') {
				lineBreak = true;
			}
			else if (c == '\u2028' || c == '\u2029') {
				separator = true;
			}
			if (firstControl < 0 && Character.isISOControl(c)) {
				firstControl = c;
			}
		}
		if (lineBreak) {
			return new Reject("control-characters", field + " contains CR/LF");
		}
		if (separator) {
			return new Reject("control-characters", field + " contains a Unicode line or paragraph separator");
		}
		if (firstControl >= 0) {
			return new Reject("control-characters",
					field + " contains control character U+" + String.format("%04X", firstControl));
		}
		return null;
	}

	private static Optional<Reject> accountId(String accountId) {
		if (!accountId.strip().equals(accountId)) {
			return reject("invalid-account-id", "account_id has leading or trailing whitespace");
		}
		if (accountId.length() > MAX_ACCOUNT_ID) {
			return reject("invalid-account-id", "account_id is longer than " + MAX_ACCOUNT_ID + " characters");
		}
		return Optional.empty();
	}

	private static Optional<Reject> tooLong(String field, String value, int max) {
		if (value != null && value.length() > max) {
			return reject("field-too-long", field + " is longer than " + max + " characters");
		}
		return Optional.empty();
	}

	private static Optional<Reject> email(String email) {
		if (email == null || email.isBlank()) {
			return reject("missing-email", "email is empty");
		}
		return EmailSyntax.problem(email).map(problem -> new Reject("invalid-email", problem));
	}

	private static Optional<Reject> currency(String currency) {
		if (currency == null || CURRENCY_CODES.contains(currency)) {
			return Optional.empty();
		}
		return reject("invalid-currency", "currency " + quoted(currency) + "is not an upper-case ISO 4217 code");
	}

	private static Optional<Reject> locale(String locale) {
		if (locale == null || isKnownLocale(locale)) {
			return Optional.empty();
		}
		return reject("invalid-locale", "locale " + quoted(locale) + "is not a BCP 47 tag with a known language");
	}

	/** An audience uses a handful of locales; parsing each tag once per account showed in profiles. */
	private static final Map<String, Boolean> KNOWN_LOCALES = new ConcurrentHashMap<>();

	private static final int MAX_CACHED_LOCALES = 1000;

	private static boolean isKnownLocale(String tag) {
		Boolean known = KNOWN_LOCALES.get(tag);
		if (known == null) {
			known = parsesToKnownLocale(tag);
			if (KNOWN_LOCALES.size() < MAX_CACHED_LOCALES) {
				KNOWN_LOCALES.put(tag, known);
			}
		}
		return known;
	}

	private static boolean parsesToKnownLocale(String tag) {
		if (tag.length() > MAX_LOCALE) {
			return false;
		}
		try {
			Locale locale = new Locale.Builder().setLanguageTag(tag.replace('_', '-')).build();
			String language = locale.getLanguage();
			// three-letter ISO 639-2/3 codes are well-formed but Java lists only the two-letter ones
			return language.length() == 3 || LANGUAGES.contains(language);
		}
		catch (IllformedLocaleException ex) {
			return false;
		}
	}

	/** Currency and locale values are not personal data, so short ones are worth showing to the operator. */
	private static String quoted(String value) {
		return value.length() <= MAX_LOCALE ? "'" + value + "' " : "";
	}

	private static Optional<Reject> reject(String reason, String detail) {
		return Optional.of(new Reject(reason, detail));
	}

	/**
	 * @param reason stable code, see the class comment
	 * @param detail for people reading the report; describes the field, never contains the email address
	 */
	public record Reject(String reason, String detail) {
	}

}
