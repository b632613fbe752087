package io.makegood.incident;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.incident.IncidentSpec.Compensation;

import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code compensation}: what each affected account is given. */
final class CompensationReader {

	static final List<String> KEYS = List.of("kind", "percent", "amount", "amounts", "item", "apply", "expires");

	/** Matches mg_credit.item. */
	static final int MAX_ITEM_LENGTH = 200;

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private CompensationReader() {
	}

	static Optional<Compensation> read(SpecSection compensation) {
		Optional<CompensationKind> kind = compensation.requiredText("kind")
			.flatMap((value) -> lookup(compensation, "kind", value, CompensationKind.class));
		ApplyMode apply = compensation.text("apply")
			.flatMap((value) -> lookup(compensation, "apply", value.strip(), ApplyMode.class))
			.orElse(ApplyMode.AUTOMATIC);
		Duration expires = expires(compensation);
		if (kind.isEmpty()) {
			return Optional.empty();
		}
		CompensationKind chosen = kind.get();
		String kindName = specName(chosen);
		if (chosen != CompensationKind.PERCENT_OF_FEE) {
			compensation.rejectIfPresent("percent", "is only used with kind percent-of-fee, not " + kindName);
		}
		if (chosen != CompensationKind.FIXED) {
			compensation.rejectIfPresent("amount", "is only used with kind fixed, not " + kindName);
			compensation.rejectIfPresent("amounts", "is only used with kind fixed, not " + kindName);
		}
		if (chosen != CompensationKind.COMPLIMENTARY) {
			compensation.rejectIfPresent("item", "is only used with kind complimentary, not " + kindName);
		}
		return switch (chosen) {
			case PERCENT_OF_FEE -> percent(compensation)
				.map((percent) -> new Compensation(chosen, percent, null, Map.of(), null, apply, expires));
			case FIXED -> fixed(compensation, apply, expires);
			case COMPLIMENTARY -> item(compensation)
				.map((item) -> new Compensation(chosen, null, null, Map.of(), item, apply, expires));
			case NONE -> {
				compensation.rejectIfPresent("apply", "has no meaning with kind none");
				compensation.rejectIfPresent("expires", "has no meaning with kind none");
				yield Optional.of(Compensation.none());
			}
		};
	}

	private static Optional<BigDecimal> percent(SpecSection compensation) {
		if (!compensation.has("percent")) {
			compensation.problem("percent", "is required for kind percent-of-fee");
			return Optional.empty();
		}
		return compensation.number("percent").filter((percent) -> {
			boolean valid = percent.signum() > 0 && percent.compareTo(HUNDRED) <= 0;
			if (!valid) {
				compensation.problem("percent",
						"must be greater than 0 and at most 100, got " + percent.toPlainString());
			}
			return valid;
		});
	}

	private static Optional<Compensation> fixed(SpecSection compensation, ApplyMode apply, Duration expires) {
		if (!compensation.has("amount") && !compensation.has("amounts")) {
			compensation.problem("amount", "kind fixed needs amount (one value for every currency) "
					+ "or amounts (one value per currency code)");
			return Optional.empty();
		}
		Optional<BigDecimal> amount = compensation.number("amount").filter((value) -> {
			boolean valid = value.signum() >= 0;
			if (!valid) {
				compensation.problem("amount", "must not be negative, got " + value.toPlainString());
			}
			return valid;
		});
		Optional<Map<String, BigDecimal>> amounts = compensation.entries("amounts")
			.flatMap((entries) -> amounts(compensation, entries));
		boolean amountOk = !compensation.has("amount") || amount.isPresent();
		boolean amountsOk = !compensation.has("amounts") || amounts.isPresent();
		if (!amountOk || !amountsOk) {
			return Optional.empty();
		}
		return Optional.of(new Compensation(CompensationKind.FIXED, null, amount.orElse(null),
				amounts.orElse(Map.of()), null, apply, expires));
	}

	private static Optional<Map<String, BigDecimal>> amounts(SpecSection compensation, Map<String, Node> entries) {
		String field = compensation.field("amounts");
		if (entries.isEmpty()) {
			compensation.problem("amounts", "must list at least one currency, e.g. { USD: 5.00 }");
			return Optional.empty();
		}
		Map<String, BigDecimal> amounts = new LinkedHashMap<>();
		boolean valid = true;
		for (Map.Entry<String, Node> entry : entries.entrySet()) {
			String code = entry.getKey();
			String entryField = SpecYaml.child(field, code);
			Optional<Currency> currency = currency(code);
			if (currency.isEmpty()) {
				compensation.problems().add(entryField, "is not an ISO-4217 currency code (upper case, e.g. USD)");
				valid = false;
				continue;
			}
			Optional<BigDecimal> amount = compensation.number(entry.getValue(), entryField);
			if (amount.isEmpty()) {
				valid = false;
				continue;
			}
			int digits = currency.get().getDefaultFractionDigits();
			if (amount.get().signum() < 0) {
				compensation.problems().add(entryField, "must not be negative, got " + amount.get().toPlainString());
				valid = false;
			}
			else if (amount.get().stripTrailingZeros().scale() > digits) {
				// Money refuses amounts finer than the currency's minor unit; say so now rather than mid-run.
				compensation.problems().add(entryField, code + " has " + digits + " decimal places; "
						+ amount.get().toPlainString() + " cannot be paid exactly");
				valid = false;
			}
			else {
				amounts.put(code, amount.get());
			}
		}
		return valid ? Optional.of(Collections.unmodifiableMap(amounts)) : Optional.empty();
	}

	private static Optional<Currency> currency(String code) {
		if (!code.matches("[A-Z]{3}")) {
			return Optional.empty();
		}
		try {
			Currency currency = Currency.getInstance(code);
			// Codes such as XAU or XXX name no payable money: they have no minor unit.
			return (currency.getDefaultFractionDigits() < 0) ? Optional.empty() : Optional.of(currency);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> item(SpecSection compensation) {
		if (!compensation.has("item")) {
			compensation.problem("item", "is required for kind complimentary, e.g. one movie rental");
			return Optional.empty();
		}
		return compensation.requiredText("item").filter((item) -> {
			boolean valid = item.length() <= MAX_ITEM_LENGTH && item.chars().noneMatch(Character::isISOControl);
			if (!valid) {
				compensation.problem("item", "must be one line of at most " + MAX_ITEM_LENGTH + " characters");
			}
			return valid;
		});
	}

	private static Duration expires(SpecSection compensation) {
		Optional<String> text = compensation.text("expires").map(String::strip);
		if (text.isEmpty()) {
			return null;
		}
		try {
			Duration duration = Duration.parse(text.get());
			if (duration.isNegative() || duration.isZero()) {
				compensation.problem("expires", "must be positive, got " + text.get());
				return null;
			}
			return duration;
		}
		catch (DateTimeParseException ex) {
			compensation.problem("expires", isPeriod(text.get())
					? "months, years and weeks have no fixed length; give days or hours, e.g. P30D or PT48H"
					: "must be an ISO-8601 duration such as P7D or PT48H, got '" + text.get() + "'");
			return null;
		}
	}

	private static boolean isPeriod(String text) {
		try {
			Period.parse(text);
			return true;
		}
		catch (DateTimeParseException ex) {
			return false;
		}
	}

	/** The spelling a spec uses for an enum constant: PERCENT_OF_FEE is written percent-of-fee. */
	static String specName(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static <E extends Enum<E>> Optional<E> lookup(SpecSection section, String key, String value,
			Class<E> type) {
		List<String> allowed = new ArrayList<>();
		for (E candidate : type.getEnumConstants()) {
			if (specName(candidate).equals(value)) {
				return Optional.of(candidate);
			}
			allowed.add(specName(candidate));
		}
		section.problem(key, "unknown " + key + " '" + value + "'; expected one of: " + String.join(", ", allowed));
		return Optional.empty();
	}

}
