package io.makegood.audience;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceFingerprintTest {

	@Test
	void aFeeIsTheSameFeeAtAnyScaleAndACurrencyTheSameWithPaddingOrInLowerCase() {
		assertThat(of("a", "a@example.com", "EUR ", "15.490000")).isEqualTo(of("a", "a@example.com", "eur", "15.49"));
		assertThat(of("a", "a@example.com", "JPY", "700.000000")).isEqualTo(of("a", "a@example.com", "JPY", "7E+2"));
		assertThat(of("a", "a@example.com", "EUR", "0.000000")).isEqualTo(of("a", "a@example.com", "EUR", "0"));
	}

	@Test
	void eachValueThatDecidesACreditOrARecipientChangesIt() {
		String plan = of("a", "a@example.com", "EUR", "9.99");

		assertThat(of("a", "b@example.com", "EUR", "9.99")).isNotEqualTo(plan);
		assertThat(of("a", "a@example.com", "USD", "9.99")).isNotEqualTo(plan);
		assertThat(of("a", "a@example.com", "EUR", "999")).isNotEqualTo(plan);
		assertThat(of("a", "a@example.com", "EUR", "9.98")).isNotEqualTo(plan);
		assertThat(of("b", "a@example.com", "EUR", "9.99")).isNotEqualTo(plan);
	}

	@Test
	void aMissingValueDiffersFromEveryPresentOne() {
		assertThat(of("a", "a@example.com", "EUR", null)).isNotEqualTo(of("a", "a@example.com", "EUR", "0"));
		assertThat(of("a", "a@example.com", null, "1")).isNotEqualTo(of("a", "a@example.com", "", "1"));
		assertThat(of("a", "a@example.com", null, "1")).isNotEqualTo(of("a", "a@example.com", "-", "1"));
	}

	@Test
	void valuesCannotShiftBetweenFields() {
		AudienceFingerprint one = new AudienceFingerprint();
		one.add("a\tb", "c@example.com", "EUR", BigDecimal.ONE);
		AudienceFingerprint other = new AudienceFingerprint();
		other.add("a", "b\tc@example.com", "EUR", BigDecimal.ONE);

		assertThat(one.value()).isNotEqualTo(other.value());
	}

	@Test
	void itStartsWithTheSizeAndNamesNoAddress() {
		AudienceFingerprint fingerprint = new AudienceFingerprint();
		fingerprint.add("a", "a@example.com", "EUR", BigDecimal.ONE);
		fingerprint.add("b", "b@example.com", "EUR", BigDecimal.TEN);

		assertThat(fingerprint.value()).matches("2:[0-9a-f]{32}");
		assertThat(new AudienceFingerprint().value()).startsWith("0:");
	}

	private static String of(String accountId, String emailKey, String currency, String monthlyFee) {
		AudienceFingerprint fingerprint = new AudienceFingerprint();
		fingerprint.add(accountId, emailKey, currency, monthlyFee == null ? null : new BigDecimal(monthlyFee));
		return fingerprint.value();
	}

}
