package io.makegood.credit;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.makegood.credit.CreditLedger.Entry;
import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's promise, one credit per (incident, account), on both real databases. */
class CreditLedgerTest {

	private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

	@OnBothDatabases
	void grantingTwiceKeepsOneRowPerAccount(MigratedDatabase db) {
		CreditLedger ledger = new CreditLedger(db.jdbc(), db.dialect());
		String incident = "inc-" + UUID.randomUUID();

		int first = ledger.grant(incident, List.of(eur("a", "5.00"), eur("b", "5.00")), NOW);
		int retried = ledger.grant(incident, List.of(eur("a", "9.99"), eur("b", "9.99"), eur("c", "5.00")),
				NOW.plusSeconds(60));
		int twiceInOneChunk = ledger.grant(incident, List.of(eur("d", "5.00"), eur("d", "6.00")), NOW);

		assertThat(first).isEqualTo(2);
		assertThat(retried).isEqualTo(1);
		assertThat(twiceInOneChunk).isEqualTo(1);
		assertThat(db.count("select count(*) from mg_credit where incident_id = ?", incident)).isEqualTo(4);
		// the first grant stands: a retry can neither add a second credit nor change the first
		assertThat(db.jdbc().queryForObject("select amount from mg_credit where incident_id = ? and account_id = 'a'",
				BigDecimal.class, incident)).isEqualByComparingTo("5.00");
	}

	@OnBothDatabases
	void theSameAccountMayBeCreditedByAnotherIncident(MigratedDatabase db) {
		CreditLedger ledger = new CreditLedger(db.jdbc(), db.dialect());

		assertThat(ledger.grant("inc-" + UUID.randomUUID(), List.of(eur("a", "5.00")), NOW)).isOne();
		assertThat(ledger.grant("inc-" + UUID.randomUUID(), List.of(eur("a", "5.00")), NOW)).isOne();
	}

	@OnBothDatabases
	void storesCreditsWithoutAnAmount(MigratedDatabase db) {
		CreditLedger ledger = new CreditLedger(db.jdbc(), db.dialect());
		String incident = "inc-" + UUID.randomUUID();
		Credit rental = new Credit(CompensationKind.COMPLIMENTARY, null, "one free rental", CreditStatus.CLAIMABLE,
				Instant.parse("2025-04-01T00:00:00Z"));

		assertThat(ledger.grant(incident, List.of(new Entry("a", rental)), NOW)).isOne();
		assertThat(db.jdbc().queryForMap("select kind, amount, currency, item, status from mg_credit"
				+ " where incident_id = ?", incident))
			.containsEntry("kind", "COMPLIMENTARY")
			.containsEntry("amount", null)
			.containsEntry("item", "one free rental")
			.containsEntry("status", "CLAIMABLE");
	}

	private static Entry eur(String accountId, String amount) {
		return new Entry(accountId, new Credit(CompensationKind.FIXED, Money.of(new BigDecimal(amount), "EUR"), null,
				CreditStatus.APPLIED, null));
	}

}
