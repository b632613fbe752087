package io.makegood.delivery;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.makegood.audience.AudienceRow;
import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.incident.IncidentSpec;

/**
 * Builds the variables a template sees. Every documented key is always present (null when unknown) because
 * templates fail on missing variables; see docs/templates.md. The email address is deliberately absent: it
 * belongs in the envelope, not in text that may be forwarded or logged.
 */
public final class TemplateModel {

	public static final Locale DEFAULT_LOCALE = Locale.US;

	private static final String NO_NAME_GREETING = "there";

	private TemplateModel() {
	}

	/**
	 * @param credit the account's own credit; null when none was granted
	 * @param claimUrl link the customer follows to claim the credit; null for automatic credits
	 * @param covered other accounts sharing this email address; may be empty or null
	 */
	public static Map<String, Object> of(IncidentSpec incident, AudienceRow row, Credit credit, String claimUrl,
			List<CoveredAccount> covered) {
		LocaleFormats formats = LocaleFormats.current();
		Locale locale = localeOf(row.locale(), formats);
		// sized for its 17 keys, so it never rehashes
		Map<String, Object> model = new HashMap<>(32);
		String name = blankToNull(row.name());
		model.put("name", name);
		model.put("firstName", firstName(name));
		model.put("accountId", row.accountId());
		model.put("plan", row.plan());
		model.put("incidentTitle", incident.title());
		model.put("incidentId", incident.id());
		IncidentSpec.Window window = incident.window();
		model.put("windowStart", (window != null) ? formats.dateTime(window.start(), locale) : null);
		model.put("windowEnd", (window != null) ? formats.dateTime(window.end(), locale) : null);
		model.put("supportPhone", (incident.message() != null) ? incident.message().supportPhone() : null);
		Map<String, Object> creditModel = credit(incident, credit, locale, formats);
		model.put("credit", creditModel);
		model.put("hasCredit", creditModel != null);
		model.put("claimUrl", blankToNull(claimUrl));
		List<Map<String, Object>> coveredModel = new ArrayList<>();
		if (covered != null) {
			for (CoveredAccount account : covered) {
				Map<String, Object> entry = new HashMap<>();
				entry.put("accountId", account.accountId());
				entry.put("credit", credit(incident, account.credit(), locale, formats));
				// present even when null, so {{claimUrl}} inside {{#covered}} never falls back to the recipient's link
				entry.put("claimUrl", null);
				coveredModel.add(entry);
			}
		}
		model.put("covered", coveredModel);
		model.put("hasCovered", !coveredModel.isEmpty());
		model.put("attrs", new HashMap<>(row.attributes()));
		return model;
	}

	/** The reader's locale from a BCP-47 tag; en-US when the tag is missing or names no language. */
	/**
	 * e.g. "December 8, 2026, 09:00 UTC": the instant a credit ends, as messages and the claim page give it. Not
	 * its day: a credit granted at 03:00 UTC ends at 03:00 on its last day, and a date alone would promise the
	 * customer the rest of that day. The minute is rounded down, so the text never promises more than there is.
	 */
	public static String deadline(Instant instant, Locale locale) {
		return deadline(instant, locale, LocaleFormats.current());
	}

	// credits granted within one minute share the text, so a campaign's messages find it already formatted
	private static String deadline(Instant instant, Locale locale, LocaleFormats formats) {
		return formats.dateTime(instant.truncatedTo(ChronoUnit.MINUTES), locale);
	}

	public static Locale localeOf(String tag) {
		if (tag == null || tag.isBlank()) {
			return DEFAULT_LOCALE;
		}
		Locale locale = Locale.forLanguageTag(tag.strip().replace('_', '-'));
		return locale.getLanguage().isEmpty() ? DEFAULT_LOCALE : locale;
	}

	private static Locale localeOf(String tag, LocaleFormats formats) {
		return (tag == null || tag.isBlank()) ? DEFAULT_LOCALE : formats.locale(tag, TemplateModel::localeOf);
	}

	private static Map<String, Object> credit(IncidentSpec incident, Credit credit, Locale locale,
			LocaleFormats formats) {
		if (credit == null || !credit.hasValue()) {
			return null;
		}
		Map<String, Object> model = new HashMap<>();
		model.put("kind", credit.kind().name());
		model.put("amount", (credit.amount() != null) ? formats.money(credit.amount(), locale) : null);
		model.put("hasAmount", credit.amount() != null);
		model.put("percent", percent(incident, credit));
		model.put("item", credit.item());
		model.put("expires", (credit.expiresAt() != null) ? deadline(credit.expiresAt(), locale, formats) : null);
		model.put("isPercent", credit.kind() == CompensationKind.PERCENT_OF_FEE);
		model.put("isFixed", credit.kind() == CompensationKind.FIXED);
		model.put("isComplimentary", credit.kind() == CompensationKind.COMPLIMENTARY);
		model.put("isClaim", isClaim(incident, credit));
		model.put("description", description(credit, (String) model.get("percent"), (String) model.get("amount")));
		return model;
	}

	// One English phrase for the common case, so a template need not spell out every kind of credit.
	private static String description(Credit credit, String percent, String amount) {
		return switch (credit.kind()) {
			case PERCENT_OF_FEE -> {
				String share = (percent != null) ? percent + "% of your monthly fee" : "a share of your monthly fee";
				yield (amount != null) ? share + " (" + amount + ")" : share;
			}
			case FIXED -> (amount != null) ? amount : "a credit";
			case COMPLIMENTARY -> (credit.item() != null) ? credit.item() : "a complimentary item";
			case NONE -> null;
		};
	}

	private static String percent(IncidentSpec incident, Credit credit) {
		if (credit.kind() != CompensationKind.PERCENT_OF_FEE || incident.compensation() == null) {
			return null;
		}
		BigDecimal percent = incident.compensation().percent();
		return (percent != null) ? percent.stripTrailingZeros().toPlainString() : null;
	}

	private static boolean isClaim(IncidentSpec incident, Credit credit) {
		if (credit.status() == CreditStatus.CLAIMABLE) {
			return true;
		}
		return incident.compensation() != null && incident.compensation().apply() == ApplyMode.CLAIM_LINK
				&& credit.status() != CreditStatus.APPLIED;
	}

	private static String firstName(String name) {
		if (name == null) {
			return NO_NAME_GREETING;
		}
		// what split("\\s+") would give, without compiling that pattern for every message
		for (int i = 0; i < name.length(); i++) {
			if (isRegexWhitespace(name.charAt(i))) {
				return name.substring(0, i);
			}
		}
		return name;
	}

	private static boolean isRegexWhitespace(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
