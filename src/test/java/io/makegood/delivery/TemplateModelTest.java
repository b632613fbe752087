package io.makegood.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.makegood.audience.AudienceRow;
import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.CreditStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateModelTest {

	@Test
	void describesThePersonTheIncidentAndTheCredit() {
		Map<String, Object> model = TemplateModel.of(Fixtures.streamingOutage(),
				Fixtures.row("A-1", "Gail Smith", "en-GB"), Fixtures.percentCredit(), null, List.of());

		assertThat(model).containsEntry("name", "Gail Smith")
			.containsEntry("firstName", "Gail")
			.containsEntry("accountId", "A-1")
			.containsEntry("plan", "Unlimited Streaming")
			.containsEntry("incidentId", "outage-2026-11-28")
			.containsEntry("windowStart", "28 November 2026, 18:05 UTC")
			.containsEntry("windowEnd", "28 November 2026, 21:40 UTC")
			.containsEntry("supportPhone", "1-866-555-0198")
			.containsEntry("hasCredit", true)
			.containsEntry("claimUrl", null)
			.containsEntry("hasCovered", false);
		@SuppressWarnings("unchecked")
		Map<String, Object> credit = (Map<String, Object>) model.get("credit");
		assertThat(credit).containsEntry("kind", "PERCENT_OF_FEE")
			.containsEntry("amount", "US$0.40")
			.containsEntry("percent", "5")
			.containsEntry("hasAmount", true)
			.containsEntry("isClaim", false)
			.containsEntry("expires", "5 December 2026, 18:05 UTC")
			.containsEntry("description", "5% of your monthly fee (US$0.40)");
		assertThat(model.get("attrs")).isEqualTo(Map.of("region", "EU-West"));
	}

	@Test
	void defaultsToUsEnglishAndGreetsNamelessCustomers() {
		Map<String, Object> model = TemplateModel.of(Fixtures.streamingOutage(), Fixtures.row("A-1", "  ", null),
				null, null, null);

		assertThat(model).containsEntry("name", null)
			.containsEntry("firstName", "there")
			.containsEntry("windowStart", "November 28, 2026, 18:05 UTC")
			.containsEntry("credit", null)
			.containsEntry("hasCredit", false);
		assertThat(TemplateModel.localeOf("not a tag!")).isEqualTo(Locale.US);
		assertThat(TemplateModel.localeOf("de-DE")).isEqualTo(Locale.GERMANY);
	}

	@Test
	void formatsMoneyForTheReadersLocale() {
		Map<String, Object> model = TemplateModel.of(
				Fixtures.incident("x", CompensationKind.FIXED, ApplyMode.AUTOMATIC),
				Fixtures.row("A-1", "Jean", "fr-FR"), Fixtures.fixed("5.00", "EUR"), null, List.of());

		@SuppressWarnings("unchecked")
		Map<String, Object> credit = (Map<String, Object>) model.get("credit");
		assertThat((String) credit.get("amount")).startsWith("5,00").endsWith("€");
		assertThat(model.get("windowStart")).isEqualTo("28 novembre 2026, 18:05 UTC");
	}

	@Test
	void claimLinkCreditsAndCoveredAccounts() {
		Map<String, Object> model = TemplateModel.of(
				Fixtures.incident("x", CompensationKind.COMPLIMENTARY, ApplyMode.CLAIM_LINK),
				Fixtures.row("A-1", "Traci", "en-US"), Fixtures.complimentary(CreditStatus.CLAIMABLE),
				"https://example.com/claim/abc",
				List.of(new CoveredAccount("A-2", Fixtures.complimentary(CreditStatus.CLAIMABLE)),
						new CoveredAccount("A-3", null)));

		assertThat(model).containsEntry("claimUrl", "https://example.com/claim/abc").containsEntry("hasCovered", true);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> covered = (List<Map<String, Object>>) model.get("covered");
		assertThat(covered).hasSize(2);
		assertThat(covered.get(0)).containsEntry("accountId", "A-2");
		@SuppressWarnings("unchecked")
		Map<String, Object> coveredCredit = (Map<String, Object>) covered.get(0).get("credit");
		assertThat(coveredCredit).containsEntry("isClaim", true)
			.containsEntry("item", "one complimentary movie rental")
			.containsEntry("hasAmount", false);
		assertThat(covered.get(1)).containsEntry("credit", null);
	}

	@Test
	void neverExposesTheEmailAddress() {
		AudienceRow row = Fixtures.row("A-1", "Gail", "en-US");
		Map<String, Object> model = TemplateModel.of(Fixtures.streamingOutage(), row, Fixtures.percentCredit(), null,
				List.of(new CoveredAccount("A-2", Fixtures.percentCredit())));

		assertThat(flatten(model)).noneMatch((value) -> String.valueOf(value).contains(row.email()));
	}

	private static List<Object> flatten(Object value) {
		if (value instanceof Map<?, ?> map) {
			return map.values().stream().flatMap((v) -> flatten(v).stream()).toList();
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().flatMap((v) -> flatten(v).stream()).toList();
		}
		return java.util.Collections.singletonList(value);
	}

}
