package io.makegood.credit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.makegood.credit.CompensationKind.COMPLIMENTARY;
import static io.makegood.credit.CompensationKind.FIXED;
import static io.makegood.credit.CompensationKind.NONE;
import static io.makegood.credit.CompensationKind.PERCENT_OF_FEE;
import static io.makegood.credit.CreditStatus.APPLIED;
import static io.makegood.credit.CreditStatus.CLAIMABLE;
import static io.makegood.credit.CreditStatus.CLAIMED;
import static io.makegood.credit.CreditStatus.EXPIRED;
import static io.makegood.credit.CreditStatus.REVOKED;
import static org.assertj.core.api.Assertions.assertThat;

class CreditTotalsTests {

	private static final Instant GRANTED = Instant.parse("2025-03-01T10:15:30Z");

	@Test
	void sumsStandingCreditsPerCurrencyAndCountsEveryStatus() {
		CreditTable table = CreditTable.migrated();
		table.insert("inc-1", "a-1", PERCENT_OF_FEE, "0.24", "USD", null, APPLIED, null, GRANTED);
		table.insert("inc-1", "a-2", PERCENT_OF_FEE, "0.30", "USD", null, CLAIMABLE, null, GRANTED);
		table.insert("inc-1", "a-3", PERCENT_OF_FEE, "1.01", "USD", null, CLAIMED, null, GRANTED);
		table.insert("inc-1", "a-4", PERCENT_OF_FEE, "9.99", "USD", null, REVOKED, null, GRANTED);
		table.insert("inc-1", "a-5", FIXED, "700", "JPY", null, APPLIED, null, GRANTED);
		table.insert("inc-1", "a-6", FIXED, "700", "JPY", null, EXPIRED, null, GRANTED);
		table.insert("inc-1", "a-7", FIXED, "1.5", "BHD", null, APPLIED, null, GRANTED);
		table.insert("inc-1", "a-8", COMPLIMENTARY, null, null, "one movie rental", APPLIED, null, GRANTED);
		table.insert("inc-1", "a-9", NONE, null, null, null, APPLIED, null, GRANTED);
		table.insert("inc-2", "a-1", FIXED, "5", "USD", null, APPLIED, null, GRANTED);

		CreditTotals totals = CreditTotals.of(table.dataSource(), "inc-1");

		assertThat(totals.totalByCurrency()).containsExactly(Map.entry("BHD", new BigDecimal("1.500")),
				Map.entry("JPY", new BigDecimal("700")), Map.entry("USD", new BigDecimal("1.55")));
		assertThat(totals.totalByCurrency().get("USD").toPlainString()).isEqualTo("1.55");
		assertThat(totals.countByStatus()).isEqualTo(
				Map.of(APPLIED, 5L, CLAIMABLE, 1L, CLAIMED, 1L, REVOKED, 1L, EXPIRED, 1L));
		assertThat(totals.count()).isEqualTo(9);
		assertThat(totals.count(CLAIMABLE)).isEqualTo(1);
	}

	@Test
	void anIncidentWithoutCreditsHasNothing() {
		CreditTotals totals = CreditTotals.of(CreditTable.migrated().dataSource(), "inc-unknown");

		assertThat(totals.totalByCurrency()).isEmpty();
		assertThat(totals.countByStatus()).isEmpty();
		assertThat(totals.count()).isZero();
		assertThat(totals.count(APPLIED)).isZero();
	}

}
