package io.makegood.incident;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import io.makegood.incident.IncidentSpec.Guard;

/** Reads {@code guard} (blast-radius limits) and {@code approval} (four eyes). */
final class GuardReader {

	static final List<String> KEYS = List.of("expected", "tolerance", "max");

	/** Used when {@code expected} is given without a tolerance. */
	static final BigDecimal DEFAULT_TOLERANCE_PERCENT = BigDecimal.TEN;

	private GuardReader() {
	}

	static Guard read(SpecSection guard) {
		Optional<Long> expected = count(guard, "expected");
		Optional<Long> max = count(guard, "max");
		Optional<BigDecimal> tolerance = guard.text("tolerance").flatMap((text) -> percent(guard, text));
		if (tolerance.isPresent() && expected.isEmpty() && !guard.has("expected")) {
			guard.problem("tolerance", "is only used with expected");
		}
		if (expected.isPresent() && max.isPresent() && max.get() < expected.get()) {
			guard.problem("max", "must not be below expected (" + expected.get() + "), got " + max.get());
		}
		return new Guard(expected.orElse(null),
				expected.isPresent() ? tolerance.orElse(DEFAULT_TOLERANCE_PERCENT) : null, max.orElse(null));
	}

	static boolean approvalRequired(SpecSection spec) {
		Optional<String> approval = spec.text("approval").map(String::strip);
		if (approval.isEmpty() || approval.get().equals("none")) {
			return false;
		}
		if (approval.get().equals("required")) {
			return true;
		}
		spec.problem("approval", "must be 'required' or 'none', got '" + approval.get() + "'");
		return false;
	}

	/** More accounts than anyone has: a typo, and beyond it the count no longer fits a long. */
	private static final BigDecimal MAX_ACCOUNTS = BigDecimal.valueOf(10_000_000_000L);

	private static Optional<Long> count(SpecSection guard, String key) {
		return guard.number(key).flatMap((number) -> {
			if (number.scale() > 0 && number.stripTrailingZeros().scale() > 0 || number.signum() < 0) {
				guard.problem(key, "must be a whole number of accounts, at least 0, got " + number.toPlainString());
				return Optional.empty();
			}
			if (number.compareTo(MAX_ACCOUNTS) > 0) {
				guard.problem(key, "must be at most " + MAX_ACCOUNTS.toPlainString() + ", got " + number.toPlainString());
				return Optional.empty();
			}
			return Optional.of(number.longValueExact());
		});
	}

	private static Optional<BigDecimal> percent(SpecSection guard, String text) {
		String value = text.strip();
		String digits = value.endsWith("%") ? value.substring(0, value.length() - 1).strip() : value;
		try {
			BigDecimal percent = new BigDecimal(digits);
			if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0 || digits.contains("e")
					|| digits.contains("E")) {
				throw new NumberFormatException();
			}
			return Optional.of(percent);
		}
		catch (NumberFormatException ex) {
			guard.problem("tolerance", "must be a percentage from 0% to 100%, e.g. 10%, got '" + value + "'");
			return Optional.empty();
		}
	}

}
