package io.makegood.credit;

import io.makegood.audience.AudienceRow;
import io.makegood.incident.IncidentSpec.Compensation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PoliciesTests {

	private static final Instant GRANTED_AT = Instant.parse("2025-03-01T10:15:30Z");

	private static final Duration THIRTY_DAYS = Duration.ofDays(30);

	@Test
	void percentOfFeeIsTakenInTheAccountsCurrency() {
		CompensationPolicy policy = new PercentOfFeePolicy(new BigDecimal("3"), RoundingMode.HALF_EVEN,
				ApplyMode.AUTOMATIC, THIRTY_DAYS);

		Credit credit = policy.grant(row("a-1", "USD", "7.99"), GRANTED_AT);

		assertThat(credit.kind()).isEqualTo(CompensationKind.PERCENT_OF_FEE);
		assertThat(credit.amount()).isEqualTo(Money.of(new BigDecimal("0.24"), "USD"));
		assertThat(credit.item()).isNull();
		assertThat(credit.status()).isEqualTo(CreditStatus.APPLIED);
		assertThat(credit.expiresAt()).isEqualTo(Instant.parse("2025-03-31T10:15:30Z"));
		assertThat(policy.grant(row("a-2", "JPY", "1980"), GRANTED_AT).amount())
			.isEqualTo(Money.of(new BigDecimal("59"), "JPY"));
		assertThat(policy.grant(row("a-3", "BHD", "4.125"), GRANTED_AT).amount())
			.isEqualTo(Money.of(new BigDecimal("0.124"), "BHD"));
	}

	@Test
	void percentOfFeeHonoursTheRoundingMode() {
		Credit even = new PercentOfFeePolicy(new BigDecimal("50"), RoundingMode.HALF_EVEN, ApplyMode.AUTOMATIC,
				null)
			.grant(row("a-1", "USD", "0.25"), GRANTED_AT);
		Credit up = new PercentOfFeePolicy(new BigDecimal("50"), RoundingMode.HALF_UP, ApplyMode.AUTOMATIC, null)
			.grant(row("a-1", "USD", "0.25"), GRANTED_AT);

		assertThat(even.amount().toPlainString()).isEqualTo("0.12");
		assertThat(up.amount().toPlainString()).isEqualTo("0.13");
	}

	@Test
	void claimLinkCreditsAreClaimableAndMayNeverExpire() {
		Credit credit = new PercentOfFeePolicy(BigDecimal.TEN, RoundingMode.HALF_EVEN, ApplyMode.CLAIM_LINK, null)
			.grant(row("a-1", "EUR", "9.99"), GRANTED_AT);

		assertThat(credit.status()).isEqualTo(CreditStatus.CLAIMABLE);
		assertThat(credit.expiresAt()).isNull();
		assertThat(credit.amount()).isEqualTo(Money.of(new BigDecimal("1.00"), "EUR"));
	}

	@Test
	void percentOfFeeRejectsRowsItCannotPriceNamingTheAccountNotTheEmail() {
		CompensationPolicy policy = new PercentOfFeePolicy(BigDecimal.TEN, RoundingMode.HALF_EVEN,
				ApplyMode.AUTOMATIC, null);

		assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row("a-9", "USD", null), GRANTED_AT))
			.withMessageContaining("a-9")
			.withMessageNotContaining("@");
		assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row("a-9", null, "9.99"), GRANTED_AT))
			.withMessageContaining("a-9")
			.withMessageNotContaining("@");
		assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row("a-9", "XYZ", "9.99"), GRANTED_AT))
			.withMessageContaining("a-9");
	}

	@Test
	void percentMustBeAPercentage() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PercentOfFeePolicy(new BigDecimal("101"),
				RoundingMode.HALF_EVEN, ApplyMode.AUTOMATIC, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new PercentOfFeePolicy(new BigDecimal("-1"),
				RoundingMode.HALF_EVEN, ApplyMode.AUTOMATIC, null));
	}

	@Test
	void fixedAmountPrefersThePerCurrencyAmount() {
		CompensationPolicy policy = new FixedAmountPolicy(new BigDecimal("5"),
				Map.of("JPY", new BigDecimal("700"), "BHD", new BigDecimal("1.5")), RoundingMode.HALF_EVEN,
				ApplyMode.AUTOMATIC, THIRTY_DAYS);

		assertThat(policy.grant(row("a-1", "JPY", null), GRANTED_AT).amount())
			.isEqualTo(Money.of(new BigDecimal("700"), "JPY"));
		assertThat(policy.grant(row("a-2", "BHD", null), GRANTED_AT).amount().toPlainString()).isEqualTo("1.500");
		Credit usd = policy.grant(row("a-3", "usd ", null), GRANTED_AT);
		assertThat(usd.kind()).isEqualTo(CompensationKind.FIXED);
		assertThat(usd.amount()).isEqualTo(Money.of(new BigDecimal("5.00"), "USD"));
		assertThat(usd.expiresAt()).isEqualTo(GRANTED_AT.plus(THIRTY_DAYS));
	}

	@Test
	void fixedAmountRoundsToTheCurrency() {
		CompensationPolicy policy = new FixedAmountPolicy(new BigDecimal("2.5"), Map.of(), RoundingMode.HALF_UP,
				ApplyMode.AUTOMATIC, null);

		assertThat(policy.grant(row("a-1", "JPY", null), GRANTED_AT).amount().toPlainString()).isEqualTo("3");
	}

	@Test
	void fixedAmountWithoutAnAmountForTheCurrencyIsAnError() {
		CompensationPolicy policy = new FixedAmountPolicy(null, Map.of("EUR", new BigDecimal("5")),
				RoundingMode.HALF_EVEN, ApplyMode.AUTOMATIC, null);

		assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row("a-7", "USD", null), GRANTED_AT))
			.withMessageContaining("USD")
			.withMessageContaining("a-7");
		assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row("a-8", "", null), GRANTED_AT))
			.withMessageContaining("a-8");
	}

	@Test
	void complimentaryGivesAnItemAndNoMoney() {
		Credit credit = new ComplimentaryPolicy("one movie rental", ApplyMode.CLAIM_LINK, THIRTY_DAYS)
			.grant(row("a-1", null, null), GRANTED_AT);

		assertThat(credit).isEqualTo(new Credit(CompensationKind.COMPLIMENTARY, null, "one movie rental",
				CreditStatus.CLAIMABLE, GRANTED_AT.plus(THIRTY_DAYS)));
	}

	@Test
	void noCompensationIsAnAppliedCreditOfNothing() {
		Credit credit = new NoCompensationPolicy().grant(row("a-1", null, null), GRANTED_AT);

		assertThat(credit).isEqualTo(new Credit(CompensationKind.NONE, null, null, CreditStatus.APPLIED, null));
		assertThat(credit.hasValue()).isFalse();
	}

	@Test
	void picksThePolicyForTheSpec() {
		assertThat(CompensationPolicies.from(percent(), RoundingMode.HALF_EVEN))
			.isInstanceOf(PercentOfFeePolicy.class);
		assertThat(CompensationPolicies.from(fixed(), RoundingMode.HALF_EVEN)).isInstanceOf(FixedAmountPolicy.class);
		assertThat(CompensationPolicies.from(new Compensation(CompensationKind.COMPLIMENTARY, null, null, null,
				"one movie rental", ApplyMode.AUTOMATIC, null), RoundingMode.HALF_EVEN))
			.isInstanceOf(ComplimentaryPolicy.class);
		assertThat(CompensationPolicies.from(Compensation.none(), RoundingMode.HALF_EVEN))
			.isInstanceOf(NoCompensationPolicy.class);
		assertThat(CompensationPolicies.from(null, RoundingMode.HALF_EVEN)).isInstanceOf(NoCompensationPolicy.class);
	}

	@Test
	void thePolicyFromTheSpecUsesItsRoundingAndTerms() {
		Compensation c = new Compensation(CompensationKind.PERCENT_OF_FEE, new BigDecimal("50"), null, null, null,
				ApplyMode.CLAIM_LINK, Duration.ofDays(7));

		Credit credit = CompensationPolicies.from(c, RoundingMode.HALF_UP).grant(row("a-1", "USD", "0.25"),
				GRANTED_AT);

		assertThat(credit).isEqualTo(new Credit(CompensationKind.PERCENT_OF_FEE,
				Money.of(new BigDecimal("0.13"), "USD"), null, CreditStatus.CLAIMABLE, GRANTED_AT.plus(7,
						java.time.temporal.ChronoUnit.DAYS)));
	}

	@Test
	void screensRowsThePercentPolicyCannotCredit() {
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "USD", "7.99"))).isEmpty();
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "USD", null))).contains("missing-fee");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", null, null))).contains("missing-fee");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", null, "7.99")))
			.contains("missing-currency");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "US$", "7.99")))
			.contains("missing-currency");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "ABC", "7.99")))
			.contains("missing-currency");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "USD", "-15.00"))).contains("negative-fee");
		assertThat(CompensationPolicies.cannotGrant(percent(), row("a-1", "USD", "0"))).isEmpty();
	}

	@Test
	void screensRowsTheFixedPolicyCannotCredit() {
		assertThat(CompensationPolicies.cannotGrant(fixed(), row("a-1", "JPY", null))).isEmpty();
		assertThat(CompensationPolicies.cannotGrant(fixed(), row("a-1", "jpy", null))).isEmpty();
		assertThat(CompensationPolicies.cannotGrant(fixed(), row("a-1", "USD", null)))
			.contains("no-amount-for-currency");
		assertThat(CompensationPolicies.cannotGrant(fixed(), row("a-1", " ", null))).contains("missing-currency");
		Compensation everyCurrency = new Compensation(CompensationKind.FIXED, null, new BigDecimal("5"), Map.of(),
				null, ApplyMode.AUTOMATIC, null);
		assertThat(CompensationPolicies.cannotGrant(everyCurrency, row("a-1", "USD", null))).isEmpty();
		Compensation halfAUnit = new Compensation(CompensationKind.FIXED, null, new BigDecimal("0.50"), Map.of(),
				null, ApplyMode.AUTOMATIC, null);
		assertThat(CompensationPolicies.cannotGrant(halfAUnit, row("a-1", "USD", null))).isEmpty();
		assertThat(CompensationPolicies.cannotGrant(halfAUnit, row("a-1", "JPY", null)))
			.as("0.50 would be paid as 0 yen").contains("amount-not-payable-in-currency");
		Compensation fiveWhole = new Compensation(CompensationKind.FIXED, null, new BigDecimal("5.00"), Map.of(),
				null, ApplyMode.AUTOMATIC, null);
		assertThat(CompensationPolicies.cannotGrant(fiveWhole, row("a-1", "JPY", null))).isEmpty();
	}

	@Test
	void everyRowCanReceiveAnItemOrNothing() {
		Compensation item = new Compensation(CompensationKind.COMPLIMENTARY, null, null, null, "one movie rental",
				ApplyMode.AUTOMATIC, null);

		assertThat(CompensationPolicies.cannotGrant(item, row("a-1", null, null))).isEmpty();
		assertThat(CompensationPolicies.cannotGrant(Compensation.none(), row("a-1", null, null))).isEmpty();
	}

	@Test
	void aScreenedRowIsAlwaysGranted() {
		for (Compensation c : new Compensation[] { percent(), fixed() }) {
			for (AudienceRow row : new AudienceRow[] { row("a-1", "USD", "7.99"), row("a-2", "JPY", "1980"),
					row("a-3", null, "1"), row("a-4", "EUR", null) }) {
				CompensationPolicy policy = CompensationPolicies.from(c, RoundingMode.HALF_EVEN);
				if (CompensationPolicies.cannotGrant(c, row).isEmpty()) {
					assertThat(policy.grant(row, GRANTED_AT).amount()).isNotNull();
				}
				else {
					assertThatIllegalArgumentException().isThrownBy(() -> policy.grant(row, GRANTED_AT));
				}
			}
		}
	}

	private static Compensation percent() {
		return new Compensation(CompensationKind.PERCENT_OF_FEE, new BigDecimal("3"), null, null, null,
				ApplyMode.AUTOMATIC, null);
	}

	private static Compensation fixed() {
		return new Compensation(CompensationKind.FIXED, null, null, Map.of("JPY", new BigDecimal("700")), null,
				ApplyMode.AUTOMATIC, null);
	}

	private static AudienceRow row(String accountId, String currency, String fee) {
		return new AudienceRow(accountId, accountId + "@example.com", "Pat", "basic", currency,
				fee == null ? null : new BigDecimal(fee), "en-US", Map.of());
	}

}
