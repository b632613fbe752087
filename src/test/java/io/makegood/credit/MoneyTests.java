package io.makegood.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MoneyTests {

	@Test
	void threePercentOfSevenNinetyNineIsTwentyFourCents() {
		Money credit = Money.percentOf(new BigDecimal("7.99"), new BigDecimal("3"), usd(), RoundingMode.HALF_EVEN);

		assertThat(credit.toPlainString()).isEqualTo("0.24");
		assertThat(credit).hasToString("0.24 USD");
	}

	@Test
	void roundsToTheMinorDigitsOfEachCurrency() {
		BigDecimal value = new BigDecimal("12.34567");

		assertThat(Money.of(value, "USD").toPlainString()).isEqualTo("12.35");
		assertThat(Money.of(value, "EUR").toPlainString()).isEqualTo("12.35");
		assertThat(Money.of(value, "JPY").toPlainString()).isEqualTo("12");
		assertThat(Money.of(value, "BHD").toPlainString()).isEqualTo("12.346");
	}

	@Test
	void padsToTheMinorDigitsOfEachCurrency() {
		assertThat(Money.of(new BigDecimal("5"), "USD").toPlainString()).isEqualTo("5.00");
		assertThat(Money.of(new BigDecimal("5"), "BHD").toPlainString()).isEqualTo("5.000");
		assertThat(Money.of(new BigDecimal("700.000000"), "JPY").toPlainString()).isEqualTo("700");
	}

	@Test
	void halfEvenIsTheDefaultAndRoundsTiesToTheEvenDigit() {
		assertThat(Money.DEFAULT_ROUNDING).isEqualTo(RoundingMode.HALF_EVEN);
		assertThat(Money.of(new BigDecimal("0.125"), "USD").toPlainString()).isEqualTo("0.12");
		assertThat(Money.of(new BigDecimal("0.135"), "USD").toPlainString()).isEqualTo("0.14");
		assertThat(Money.of(new BigDecimal("2.5"), "JPY").toPlainString()).isEqualTo("2");
		assertThat(Money.of(new BigDecimal("0.0125"), "BHD").toPlainString()).isEqualTo("0.012");
	}

	@Test
	void halfUpRoundsTiesAwayFromZero() {
		assertThat(Money.of(new BigDecimal("0.125"), "USD", RoundingMode.HALF_UP).toPlainString()).isEqualTo("0.13");
		assertThat(Money.of(new BigDecimal("0.135"), "USD", RoundingMode.HALF_UP).toPlainString()).isEqualTo("0.14");
		assertThat(Money.of(new BigDecimal("2.5"), "JPY", RoundingMode.HALF_UP).toPlainString()).isEqualTo("3");
	}

	@Test
	void percentIsRoundedOnceNotTwice() {
		// 50% of 0.025 is 0.0125 -> 0.01; rounding the fee first (0.03) would have given 0.02
		assertThat(Money.percentOf(new BigDecimal("0.025"), new BigDecimal("50"), usd(), RoundingMode.HALF_UP)
			.toPlainString()).isEqualTo("0.01");
		assertThat(Money.percentOf(new BigDecimal("1000"), new BigDecimal("2.5"), Currency.getInstance("JPY"),
				RoundingMode.HALF_EVEN)
			.toPlainString()).isEqualTo("25");
		assertThat(Money.percentOf(new BigDecimal("12.345"), new BigDecimal("10"), Currency.getInstance("BHD"),
				RoundingMode.HALF_EVEN)
			.toPlainString()).isEqualTo("1.234");
	}

	@Test
	void rejectsAnAmountNotAtTheMinorUnitScale() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Money(new BigDecimal("0.240"), usd()))
			.withMessageContaining("USD");
	}

	@Test
	void addsOnlyTheSameCurrency() {
		Money a = Money.of(new BigDecimal("0.24"), "USD");

		assertThat(a.plus(Money.of(new BigDecimal("1.01"), "USD")).toPlainString()).isEqualTo("1.25");
		assertThat(Money.zero(usd()).isZero()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> a.plus(Money.of(BigDecimal.ONE, "EUR")));
	}

	@Test
	void formatsForAReader() {
		assertThat(Money.of(new BigDecimal("0.24"), "USD").format(Locale.US)).isEqualTo("$0.24");
	}

	private static Currency usd() {
		return Currency.getInstance("USD");
	}

}
