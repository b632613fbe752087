package io.makegood.credit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.makegood.credit.CompensationKind.FIXED;
import static io.makegood.credit.CompensationKind.PERCENT_OF_FEE;
import static io.makegood.credit.CreditStatus.APPLIED;
import static io.makegood.credit.CreditStatus.CLAIMABLE;
import static org.assertj.core.api.Assertions.assertThat;

/** The export and totals SQL on the production database, where streaming needs a transaction. */
class CreditPostgresTests {

	private static final Instant GRANTED = Instant.parse("2025-03-01T10:15:30Z");

	private static EmbeddedPostgres postgres;

	private static CreditTable table;

	@BeforeAll
	static void start() throws IOException {
		postgres = EmbeddedPostgres.start();
		table = CreditTable.migrated(postgres.getPostgresDatabase(), "postgresql");
		table.insert("inc-1", "b-2", FIXED, "700", "JPY", null, APPLIED, null, GRANTED);
		table.insert("inc-1", "a-1", PERCENT_OF_FEE, "0.24", "USD", null, APPLIED,
				Instant.parse("2025-03-31T10:15:30Z"), GRANTED);
		table.insert("inc-1", "c-3", PERCENT_OF_FEE, "0.30", "USD", null, CLAIMABLE, null, GRANTED);
	}

	@AfterAll
	static void stop() throws IOException {
		postgres.close();
	}

	@Test
	void exports() throws IOException {
		StringWriter out = new StringWriter();

		assertThat(new CreditExport(table.dataSource()).export("inc-1", out)).isEqualTo(2);
		assertThat(out).hasToString("idempotency_key,incident_id,account_id,kind,amount,currency,item,status,"
				+ "expires_at,granted_at\r\n"
				+ "inc-1/a-1,inc-1,a-1,PERCENT_OF_FEE,0.24,USD,,APPLIED,2025-03-31T10:15:30Z,2025-03-01T10:15:30Z\r\n"
				+ "inc-1/b-2,inc-1,b-2,FIXED,700,JPY,,APPLIED,,2025-03-01T10:15:30Z\r\n");
	}

	@Test
	void totals() {
		CreditTotals totals = CreditTotals.of(table.dataSource(), "inc-1");

		assertThat(totals.totalByCurrency()).isEqualTo(
				Map.of("JPY", new BigDecimal("700"), "USD", new BigDecimal("0.54")));
		assertThat(totals.countByStatus()).isEqualTo(Map.of(APPLIED, 2L, CLAIMABLE, 1L));
	}

}
