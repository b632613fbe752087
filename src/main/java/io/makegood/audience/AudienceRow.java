package io.makegood.audience;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One affected account as read from an audience source, before the snapshot rules are applied.
 * {@code attributes} holds every extra source column, so templates can use data makegood does not model.
 */
public record AudienceRow(String accountId, String email, String name, String plan, String currency,
		BigDecimal monthlyFee, String locale, Map<String, String> attributes) {

	public AudienceRow {
		attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
	}

}
