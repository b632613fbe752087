package io.makegood.audience;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The column contract shared by every source: which names map to {@link AudienceRow} fields, and how raw text
 * becomes a row. Keeping it in one place means a CSV file and a SQL query with the same columns give equal rows.
 */
final class AudienceColumns {

	static final String ACCOUNT_ID = "account_id";

	static final String EMAIL = "email";

	static final String NAME = "name";

	static final String PLAN = "plan";

	static final String CURRENCY = "currency";

	static final String MONTHLY_FEE = "monthly_fee";

	static final String LOCALE = "locale";

	static final Set<String> MODELLED = Set.of(ACCOUNT_ID, EMAIL, NAME, PLAN, CURRENCY, MONTHLY_FEE, LOCALE);

	private AudienceColumns() {
	}

	/** Column names are case-insensitive and forgiving of stray spaces around them, nothing more. */
	static String normalise(String columnName) {
		return columnName == null ? "" : columnName.strip().toLowerCase(Locale.ROOT);
	}

	/**
	 * @param values normalised column name to raw text; null or missing means no value
	 */
	static SourceRow toRow(Map<String, String> values) {
		List<SourceRow.Problem> problems = new ArrayList<>();
		BigDecimal fee = parseFee(values.get(MONTHLY_FEE), problems);
		Map<String, String> attributes = new HashMap<>();
		values.forEach((column, value) -> {
			if (!MODELLED.contains(column)) {
				// Map.copyOf refuses nulls, and templates treat "" and absent alike
				attributes.put(column, value == null ? "" : value);
			}
		});
		AudienceRow row = new AudienceRow(text(values, ACCOUNT_ID), text(values, EMAIL), text(values, NAME),
				text(values, PLAN), text(values, CURRENCY), fee, text(values, LOCALE), attributes);
		return new SourceRow(row, problems);
	}

	/**
	 * Values are kept verbatim (no trimming): trimming would also remove a trailing CR/LF and hide exactly the
	 * data the rules must see. Only the empty string becomes null, since CSV cannot tell empty from absent.
	 */
	private static String text(Map<String, String> values, String column) {
		String value = values.get(column);
		return value == null || value.isEmpty() ? null : value;
	}

	private static BigDecimal parseFee(String raw, List<SourceRow.Problem> problems) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		try {
			return new BigDecimal(raw.strip());
		}
		catch (NumberFormatException ex) {
			problems.add(new SourceRow.Problem("invalid-fee", "monthly_fee is not a decimal number"));
			return null;
		}
	}

}
