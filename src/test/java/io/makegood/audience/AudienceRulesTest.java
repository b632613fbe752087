package io.makegood.audience;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AudienceRulesTest {

	private final AudienceRules rules = new AudienceRules();

	@Test
	void acceptsCompleteRow() {
		assertThat(this.rules.check(row("A1", "ann@example.com"))).isEmpty();
	}

	@Test
	void acceptsRowWithOnlyAccountAndEmail() {
		AudienceRow row = new AudienceRow("A1", "ann@example.com", null, null, null, null, null, null);
		assertThat(this.rules.check(row)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Zoë Ångström", "山田太郎", "Renée O'Brien-Smith", "محمد", "Σωκράτης 👩‍🚀" })
	void acceptsWideUnicodeNames(String name) {
		assertThat(this.rules.check(withName(name))).isEmpty();
	}

	@Test
	void rejectsMissingAccountId() {
		assertReject(row(null, "ann@example.com"), "missing-account-id");
		assertReject(row("  ", "ann@example.com"), "missing-account-id");
	}

	@Test
	void rejectsPaddedOrOverlongAccountId() {
		assertReject(row(" A1", "ann@example.com"), "invalid-account-id");
		assertReject(row("A".repeat(101), "ann@example.com"), "invalid-account-id");
		assertThat(this.rules.check(row("A".repeat(100), "ann@example.com"))).isEmpty();
	}

	@Test
	void rejectsMissingEmail() {
		assertReject(row("A1", null), "missing-email");
		assertReject(row("A1", " "), "missing-email");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ann", "ann@", "@example.com", "ann@@example.com", "ann@bob@example.com",
			"ann@localhost", "ann@example", "ann @example.com", "ann@exa mple.com", "ann@example.com.",
			"ann@-example.com", "ann@example..com", "a..b@example.com", ".ann@example.com", "ann.@example.com",
			"Ann <ann@example.com>", "ann,bob@example.com", "\"ann\"@example.com", "zoë@example.com",
			"ann@192.168.0.1", "ann@[192.168.0.1]", "ann@exa_mple.com", "ann(comment)@example.com", "ann\u00a0@example.com" })
	void rejectsInvalidEmail(String email) {
		Optional<AudienceRules.Reject> reject = this.rules.check(row("A1", email));
		assertThat(reject).map(AudienceRules.Reject::reason).contains("invalid-email");
		assertThat(reject.get().detail()).doesNotContain(email).doesNotContain("ann");
	}

	@Test
	void rejectsOverlongLocalPart() {
		String email = "a".repeat(65) + "@example.com";
		assertReject(row("A1", email), "invalid-email");
		assertThat(this.rules.check(row("A1", "a".repeat(64) + "@example.com"))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ann@example.com", "Ann.Lee+promo@Example.CO.UK", "a_b-c@sub.example.org",
			"ann@bücher.de", "ann@例え.jp", "o'brien@example.ie", "x@xn--bcher-kva.de" })
	void acceptsPracticalEmail(String email) {
		assertThat(this.rules.check(row("A1", email))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Ann\r\nBcc: all@example.com", "Ann\n", "\rAnn", "Ann\u2028Lee", "Ann\u2029",
			"Ann\u0000", "Ann\tLee", "Ann\u0085", "Ann\u007f" })
	void rejectsControlCharactersInName(String name) {
		Optional<AudienceRules.Reject> reject = this.rules.check(withName(name));
		assertThat(reject).map(AudienceRules.Reject::reason).contains("control-characters");
		assertThat(reject.get().detail()).startsWith("name contains");
	}

	@Test
	void rejectsControlCharactersInEveryHeaderOrTemplateField() {
		assertControl(new AudienceRow("A1\n", "ann@example.com", null, null, null, null, null, null), "account_id");
		assertControl(new AudienceRow("A1", "ann@example.com\r\n", null, null, null, null, null, null), "email");
		assertControl(new AudienceRow("A1", "ann@example.com", null, "Gold\r", null, null, null, null), "plan");
		assertControl(new AudienceRow("A1", "ann@example.com", null, null, "EUR\n", null, null, null), "currency");
		assertControl(new AudienceRow("A1", "ann@example.com", null, null, null, null, "en\u2028", null), "locale");
	}

	@Test
	void controlCharacterDetailNamesTheKindOfCharacter() {
		assertThat(this.rules.check(withName("Ann\r\nLee")).get().detail()).isEqualTo("name contains CR/LF");
		assertThat(this.rules.check(withName("Ann\u0007")).get().detail())
			.isEqualTo("name contains control character U+0007");
	}

	@Test
	void emailWithCrLfNeverAppearsInDetail() {
		String email = "ann@example.com\r\nBcc: x@example.com";
		AudienceRules.Reject reject = this.rules.check(row("A1", email)).orElseThrow();
		assertThat(reject.reason()).isEqualTo("control-characters");
		assertThat(reject.detail()).isEqualTo("email contains CR/LF");
	}

	@Test
	void rejectsOverlongNameAndPlan() {
		assertReject(withName("x".repeat(201)), "field-too-long");
		assertReject(new AudienceRow("A1", "ann@example.com", null, "p".repeat(101), null, null, null, null),
				"field-too-long");
	}

	@ParameterizedTest
	@ValueSource(strings = { "EURO", "eur", "E", "XYZ", "€", "usd " })
	void rejectsInvalidCurrency(String currency) {
		assertReject(new AudienceRow("A1", "ann@example.com", null, null, currency, null, null, null),
				"invalid-currency");
	}

	@ParameterizedTest
	@ValueSource(strings = { "EUR", "USD", "JPY", "GBP", "CHF" })
	void acceptsIsoCurrency(String currency) {
		assertThat(this.rules.check(new AudienceRow("A1", "ann@example.com", null, null, currency, null, null, null)))
			.isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "en", "en-GB", "en_GB", "pt-BR", "zh-Hant-TW", "de-CH", "fil-PH", "sr-Latn-RS" })
	void acceptsLocale(String locale) {
		assertThat(this.rules.check(new AudienceRow("A1", "ann@example.com", null, null, null, null, locale, null)))
			.isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "english", "e", "zz", "en-", "en--GB", "12", "en GB", "qq-GB" })
	void rejectsInvalidLocale(String locale) {
		assertReject(new AudienceRow("A1", "ann@example.com", null, null, null, null, locale, null),
				"invalid-locale");
	}

	@Test
	void reportsSourceProblemsFirst() {
		SourceRow sourceRow = new SourceRow(row("A1", "not-an-email"),
				List.of(new SourceRow.Problem("invalid-fee", "monthly_fee is not a decimal number")));
		assertThat(this.rules.check(sourceRow))
			.contains(new AudienceRules.Reject("invalid-fee", "monthly_fee is not a decimal number"));
	}

	@Test
	void checksRowOfSourceRowWithoutProblems() {
		assertThat(this.rules.check(SourceRow.of(row("A1", "ann@example.com")))).isEmpty();
		assertThat(this.rules.check(SourceRow.of(row("A1", "nope")))).map(AudienceRules.Reject::reason)
			.contains("invalid-email");
	}

	@Test
	void attributesAreNotChecked() {
		// attributes may legitimately hold multi-line text (an address); templates escape them
		AudienceRow row = new AudienceRow("A1", "ann@example.com", "Ann", null, null, null, null,
				Map.of("address", "1 Main St\r\nSpringfield"));
		assertThat(this.rules.check(row)).isEmpty();
	}

	private void assertReject(AudienceRow row, String reason) {
		assertThat(this.rules.check(row)).map(AudienceRules.Reject::reason).contains(reason);
	}

	private void assertControl(AudienceRow row, String field) {
		assertThat(this.rules.check(row))
			.contains(new AudienceRules.Reject("control-characters", field + " contains "
					+ (field.equals("locale") ? "a Unicode line or paragraph separator" : "CR/LF")));
	}

	private static AudienceRow row(String accountId, String email) {
		return new AudienceRow(accountId, email, "Ann Lee", "Premium", "EUR", new BigDecimal("12.99"), "en-GB",
				Map.of("region", "EU"));
	}

	private static AudienceRow withName(String name) {
		return new AudienceRow("A1", "ann@example.com", name, "Premium", "EUR", new BigDecimal("12.99"), "en-GB",
				Map.of());
	}

}
