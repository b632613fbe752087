package io.makegood.delivery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.makegood.audience.AudienceRow;
import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import io.makegood.incident.IncidentSpec;

/** Small, readable domain values for delivery tests. */
final class Fixtures {

	static final Instant START = Instant.parse("2026-11-28T18:05:00Z");

	static final Instant END = Instant.parse("2026-11-28T21:40:00Z");

	static final Instant EXPIRES = Instant.parse("2026-12-05T18:05:00Z");

	private Fixtures() {
	}

	static IncidentSpec incident(String template, CompensationKind kind, ApplyMode apply) {
		IncidentSpec.Compensation compensation = new IncidentSpec.Compensation(kind,
				(kind == CompensationKind.PERCENT_OF_FEE) ? new BigDecimal("5") : null,
				(kind == CompensationKind.FIXED) ? new BigDecimal("5.00") : null, Map.of(),
				(kind == CompensationKind.COMPLIMENTARY) ? "one complimentary movie rental" : null, apply,
				Duration.ofDays(7));
		return new IncidentSpec("outage-2026-11-28", "Streaming was unavailable on 28 November",
				new IncidentSpec.Window(START, END), new IncidentSpec.Audience("csv", null, Path.of("audience.csv")),
				compensation,
				new IncidentSpec.Message(template, "Example Streaming <care@example.com>", null, "1-866-555-0198"),
				new IncidentSpec.Delivery(null), "id: outage-2026-11-28", Path.of("."));
	}

	static IncidentSpec streamingOutage() {
		return incident("streaming-outage", CompensationKind.PERCENT_OF_FEE, ApplyMode.AUTOMATIC);
	}

	static AudienceRow row(String accountId, String name, String locale) {
		return new AudienceRow(accountId, accountId + "@customers.example.org", name, "Unlimited Streaming", "USD",
				new BigDecimal("7.99"), locale, Map.of("region", "EU-West"));
	}

	static Credit percentCredit() {
		return new Credit(CompensationKind.PERCENT_OF_FEE, Money.of(new BigDecimal("0.40"), "USD", RoundingMode.HALF_UP),
				null, CreditStatus.APPLIED, EXPIRES);
	}

	static Credit complimentary(CreditStatus status) {
		return new Credit(CompensationKind.COMPLIMENTARY, null, "one complimentary movie rental", status, EXPIRES);
	}

	static Credit fixed(String amount, String currency) {
		return new Credit(CompensationKind.FIXED, Money.of(new BigDecimal(amount), currency, RoundingMode.HALF_UP),
				null, CreditStatus.APPLIED, null);
	}

}
