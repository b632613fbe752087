package io.makegood.credit;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.credit.CompensationKind.COMPLIMENTARY;
import static io.makegood.credit.CompensationKind.FIXED;
import static io.makegood.credit.CompensationKind.NONE;
import static io.makegood.credit.CompensationKind.PERCENT_OF_FEE;
import static io.makegood.credit.CreditStatus.APPLIED;
import static io.makegood.credit.CreditStatus.CLAIMABLE;
import static io.makegood.credit.CreditStatus.CLAIMED;
import static io.makegood.credit.CreditStatus.REVOKED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CreditExportTests {

	private static final String HEADER = "idempotency_key,incident_id,account_id,kind,amount,currency,item,status,"
			+ "expires_at,granted_at\r\n";

	private static final Instant GRANTED = Instant.parse("2025-03-01T10:15:30Z");

	private static final Instant EXPIRES = Instant.parse("2025-03-31T10:15:30Z");

	private CreditTable table;

	private CreditExport export;

	@BeforeEach
	void setUp() {
		table = CreditTable.migrated();
		export = new CreditExport(table.dataSource());
		table.insert("inc-1", "c-3", PERCENT_OF_FEE, "0.24", "USD", null, APPLIED, EXPIRES, GRANTED);
		table.insert("inc-1", "a-1", FIXED, "700", "JPY", null, CLAIMED, null, GRANTED);
		table.insert("inc-1", "b-2", FIXED, "1.5", "BHD", null, CLAIMABLE, EXPIRES, GRANTED);
		table.insert("inc-1", "d-4", COMPLIMENTARY, null, null, "one movie rental, \"HD\"", APPLIED, null, GRANTED);
		table.insert("inc-1", "e-5", FIXED, "5", "EUR", null, REVOKED, null, GRANTED);
		table.insert("inc-1", "f-6", NONE, null, null, null, APPLIED, null, GRANTED);
		table.insert("inc-2", "a-1", FIXED, "9", "USD", null, APPLIED, null, GRANTED);
	}

	@Test
	void exportsWhatBillingActsOnOrderedByAccount() throws IOException {
		StringWriter out = new StringWriter();

		long rows = export.export("inc-1", out);

		assertThat(rows).isEqualTo(3);
		assertThat(out).hasToString(HEADER
				+ "inc-1/a-1,inc-1,a-1,FIXED,700,JPY,,CLAIMED,,2025-03-01T10:15:30Z\r\n"
				+ "inc-1/c-3,inc-1,c-3,PERCENT_OF_FEE,0.24,USD,,APPLIED,2025-03-31T10:15:30Z,2025-03-01T10:15:30Z\r\n"
				+ "inc-1/d-4,inc-1,d-4,COMPLIMENTARY,,,\"one movie rental, \"\"HD\"\"\",APPLIED,,2025-03-01T10:15:30Z\r\n");
	}

	@Test
	void exportsTheRequestedStatusesAtTheCurrencysScale() throws IOException {
		StringWriter out = new StringWriter();

		long rows = export.export("inc-1", out, EnumSet.of(CLAIMABLE, REVOKED));

		assertThat(rows).isEqualTo(2);
		assertThat(out).hasToString(HEADER
				+ "inc-1/b-2,inc-1,b-2,FIXED,1.500,BHD,,CLAIMABLE,2025-03-31T10:15:30Z,2025-03-01T10:15:30Z\r\n"
				+ "inc-1/e-5,inc-1,e-5,FIXED,5.00,EUR,,REVOKED,,2025-03-01T10:15:30Z\r\n");
	}

	@Test
	void writesAFileInUtf8(@TempDir Path dir) throws IOException {
		table.insert("inc-3", "a-1", COMPLIMENTARY, null, null, "Ein Kinoabend für Zwei", APPLIED, null, GRANTED);
		Path file = dir.resolve("credits.csv");

		long rows = export.export("inc-3", file, CreditExport.BILLING_STATUSES);

		assertThat(rows).isOne();
		assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(HEADER
				+ "inc-3/a-1,inc-3,a-1,COMPLIMENTARY,,,Ein Kinoabend für Zwei,APPLIED,,2025-03-01T10:15:30Z\r\n");
		assertThat(dir).isDirectoryContaining("glob:**/credits.csv").isDirectoryNotContaining("glob:**.partial");
	}

	@Test
	void anIncidentWithoutCreditsIsJustTheHeader() throws IOException {
		StringWriter out = new StringWriter();

		assertThat(export.export("inc-unknown", out)).isZero();
		assertThat(out).hasToString(HEADER);
	}

	@Test
	void needsAStatusToExport() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> export.export("inc-1", new StringWriter(), EnumSet.noneOf(CreditStatus.class)));
	}

}
