package io.makegood.incident;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.incident.IncidentSpec.Compensation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.incident.SpecAssertions.assertProblem;
import static io.makegood.incident.SpecAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

class CompensationSpecTest {

	@TempDir
	Path dir;

	private final IncidentSpecParser parser = new IncidentSpecParser();

	@Test
	void percentOfFeeDefaultsToAutomaticAndNeverExpires() {
		Compensation compensation = compensation("compensation:\n  kind: percent-of-fee\n  percent: 2.5\n");

		assertThat(compensation.kind()).isEqualTo(CompensationKind.PERCENT_OF_FEE);
		assertThat(compensation.percent()).isEqualTo(new BigDecimal("2.5"));
		assertThat(compensation.apply()).isEqualTo(ApplyMode.AUTOMATIC);
		assertThat(compensation.expires()).isNull();
		assertThat(compensation.amounts()).isEmpty();
	}

	@Test
	void percentMustBeAboveZeroAndAtMostHundred() {
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 0\n"), dir, "compensation.percent",
				"must be greater than 0 and at most 100, got 0");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: -3\n"), dir, "compensation.percent",
				"got -3");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 100.01\n"), dir,
				"compensation.percent", "got 100.01");
		assertThat(compensation("compensation:\n  kind: percent-of-fee\n  percent: 100\n").percent())
			.isEqualByComparingTo("100");
	}

	@Test
	void percentMustBeAPlainNumber() {
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: three\n"), dir,
				"compensation.percent", "must be a plain decimal number such as 3 or 4.50, got 'three'");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3%\n"), dir, "compensation.percent",
				"got '3%'");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: .inf\n"), dir,
				"compensation.percent", "got '.inf'");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: [3]\n"), dir,
				"compensation.percent", "must be a number, got a list");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n"), dir, "compensation.percent",
				"is required for kind percent-of-fee");
	}

	@Test
	void kindIsRequiredAndListsTheAllowedValues() {
		assertProblem(spec("compensation:\n  percent: 3\n"), dir, "compensation.kind", "is required");
		assertProblem(spec("compensation:\n  kind: percentage\n"), dir, "compensation.kind",
				"unknown kind 'percentage'; expected one of: percent-of-fee, fixed, complimentary, none");
	}

	@Test
	void applyListsTheAllowedValues() {
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  apply: manual\n"), dir,
				"compensation.apply", "unknown apply 'manual'; expected one of: automatic, claim-link");
	}

	@Test
	void fixedTakesOneAmountOrAmountsPerCurrency() {
		Compensation one = compensation("compensation:\n  kind: fixed\n  amount: 0\n");
		Compensation perCurrency = compensation(
				"compensation:\n  kind: fixed\n  amount: 5\n  amounts: { USD: 5.00, EUR: 4.50, JPY: 700 }\n");

		assertThat(one.amount()).isEqualByComparingTo("0");
		assertThat(perCurrency.amount()).isEqualByComparingTo("5");
		assertThat(perCurrency.amounts()).containsExactly(Map.entry("USD", new BigDecimal("5.00")),
				Map.entry("EUR", new BigDecimal("4.50")), Map.entry("JPY", new BigDecimal("700")));
	}

	@Test
	void fixedNeedsAnAmount() {
		assertProblem(spec("compensation:\n  kind: fixed\n"), dir, "compensation.amount",
				"kind fixed needs amount");
		assertProblem(spec("compensation:\n  kind: fixed\n  amount: -1\n"), dir, "compensation.amount",
				"must not be negative");
		assertProblem(spec("compensation:\n  kind: fixed\n  amounts: {}\n"), dir, "compensation.amounts",
				"must list at least one currency");
		assertProblem(spec("compensation:\n  kind: fixed\n  amounts: 5\n"), dir, "compensation.amounts",
				"must be a mapping");
	}

	@Test
	void amountsNeedValidCurrencyCodesAndMinorUnits() {
		String yaml = spec("compensation:\n  kind: fixed\n"
				+ "  amounts: { USD: 5.00, usd: 1, EURO: 4, XAU: 1, ABC: 2, JPY: 700.5, GBP: -1, CHF: x, BHD: 1.250 }\n");

		assertThat(problems(yaml, dir)).containsExactlyInAnyOrder(
				new SpecProblem("compensation.amounts.usd", "is not an ISO-4217 currency code (upper case, e.g. USD)"),
				new SpecProblem("compensation.amounts.EURO", "is not an ISO-4217 currency code (upper case, e.g. USD)"),
				new SpecProblem("compensation.amounts.XAU", "is not an ISO-4217 currency code (upper case, e.g. USD)"),
				new SpecProblem("compensation.amounts.ABC", "is not an ISO-4217 currency code (upper case, e.g. USD)"),
				new SpecProblem("compensation.amounts.JPY", "JPY has 0 decimal places; 700.5 cannot be paid exactly"),
				new SpecProblem("compensation.amounts.GBP", "must not be negative, got -1"),
				new SpecProblem("compensation.amounts.CHF",
						"must be a plain decimal number such as 3 or 4.50, got 'x'"));
	}

	@Test
	void complimentaryNeedsAnItem() {
		Compensation compensation = compensation(
				"compensation:\n  kind: complimentary\n  item: one movie rental\n  expires: P7D\n");

		assertThat(compensation.item()).isEqualTo("one movie rental");
		assertThat(compensation.expires()).isEqualTo(Duration.ofDays(7));
		assertProblem(spec("compensation:\n  kind: complimentary\n"), dir, "compensation.item",
				"is required for kind complimentary");
		assertProblem(spec("compensation:\n  kind: complimentary\n  item: ''\n"), dir, "compensation.item",
				"must not be empty");
		assertProblem(spec("compensation:\n  kind: complimentary\n  item: " + "x".repeat(201) + "\n"), dir,
				"compensation.item", "at most 200");
	}

	@Test
	void noneIsTheSameAsNoCompensation() {
		assertThat(compensation("compensation:\n  kind: none\n")).isEqualTo(Compensation.none());
		assertThat(problems(spec("compensation:\n  kind: none\n  apply: claim-link\n  expires: P1D\n"), dir))
			.containsExactly(new SpecProblem("compensation.apply", "has no meaning with kind none"),
					new SpecProblem("compensation.expires", "has no meaning with kind none"));
	}

	@Test
	void refusesFieldsOfOtherKinds() {
		assertThat(problems(spec("compensation:\n  kind: fixed\n  amount: 1\n  percent: 3\n  item: hat\n"), dir))
			.containsExactly(new SpecProblem("compensation.percent", "is only used with kind percent-of-fee, not fixed"),
					new SpecProblem("compensation.item", "is only used with kind complimentary, not fixed"));
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  amounts: { USD: 1 }\n"), dir,
				"compensation.amounts", "is only used with kind fixed, not percent-of-fee");
	}

	@Test
	void expiresIsAPositiveIsoDuration() {
		assertThat(compensation("compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: PT48H\n").expires())
			.isEqualTo(Duration.ofHours(48));
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: 7 days\n"), dir,
				"compensation.expires", "must be an ISO-8601 duration such as P7D or PT48H, got '7 days'");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: P1M\n"), dir,
				"compensation.expires", "give days or hours");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: PT0S\n"), dir,
				"compensation.expires", "must be positive");
		assertProblem(spec("compensation:\n  kind: percent-of-fee\n  percent: 3\n  expires: -P1D\n"), dir,
				"compensation.expires", "must be positive");
	}

	private Compensation compensation(String yaml) {
		return parser.parse(spec(yaml), dir).compensation();
	}

	private static String spec(String compensation) {
		return SpecText.valid().with("compensation", compensation).yaml();
	}

}
