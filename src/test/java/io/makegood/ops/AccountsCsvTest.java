package io.makegood.ops;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * accounts.csv is written by PostgreSQL itself (COPY) and printed from JDBC on HSQLDB: both must give the same
 * lines, including the awkward values a CSV writer has to quote.
 */
class AccountsCsvTest {

	private static final Timestamp NOW = Timestamp.from(Instant.parse("2026-11-30T06:00:00Z"));

	private static final String AWKWARD_REPLY = "550 5.1.1 \"no such user\", sorry\r\nbye";

	@TempDir
	Path dir;

	@OnBothDatabases
	void listsEveryAccountOnceWithItsOutcomeAndCreditAndNoAddress(MigratedDatabase db) throws IOException {
		String incident = "accounts-csv";
		account(db, incident, 1, "A1", "A1", null);
		account(db, incident, 2, "A2", "A1", null);
		account(db, incident, 3, "A3", "A3", "BOUNCED");
		account(db, incident, 4, "A4", "A4", null);
		account(db, incident, 5, "A5", "A5", null);
		message(db, incident, "A1", 1, "SENT", null);
		message(db, incident, "A3", 3, "SUPPRESSED", null);
		message(db, incident, "A4", 4, "FAILED", AWKWARD_REPLY);
		credit(db, incident, "A1", "PERCENT_OF_FEE", new BigDecimal("0.540000"), "USD", null);
		credit(db, incident, "A2", "PERCENT_OF_FEE", new BigDecimal("36.000000"), "JPY", null);
		credit(db, incident, "A3", "FIXED_AMOUNT", new BigDecimal("100.000000"), "EUR", null);
		credit(db, incident, "A4", "COMPLIMENTARY", null, null, "Free rental, 7 days");
		reject(db, incident, 1, "R1", "invalid-email", null);
		reject(db, incident, 2, null, "duplicate-account", "line 7, \"again\"");
		account(db, "another-incident", 1, "B1", "B1", null);

		Path file = dir.resolve("accounts.csv");
		new AccountsCsv(db.jdbc(), db.dialect()).write(incident, file);

		assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).startsWith(
				"account_id,outcome,reason,announced_by_account,credit_kind,credit_amount,credit_currency,credit_item,credit_status",
				"A1,SENT,,,PERCENT_OF_FEE,0.54,USD,,APPLIED");
		assertThat(records(file)).containsExactly(
				List.of("A1", "SENT", "", "", "PERCENT_OF_FEE", "0.54", "USD", "", "APPLIED"),
				List.of("A2", "SENT", "", "A1", "PERCENT_OF_FEE", "36", "JPY", "", "APPLIED"),
				List.of("A3", "SUPPRESSED", "suppressed: BOUNCED", "", "FIXED_AMOUNT", "100", "EUR", "", "APPLIED"),
				List.of("A4", "FAILED", AWKWARD_REPLY, "", "COMPLIMENTARY", "", "", "Free rental, 7 days", "APPLIED"),
				List.of("A5", "NOT_QUEUED", "", "", "", "", "", "", ""),
				List.of("R1", "FAILED", "rejected at snapshot: invalid-email", "", "", "", "", "", ""),
				List.of("", "FAILED", "rejected at snapshot: duplicate-account (line 7, \"again\")", "", "", "", "", "",
						""));
		assertThat(Files.readString(file)).doesNotContain("@example.org");
	}

	private static List<List<String>> records(Path file) throws IOException {
		try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return CSVFormat.RFC4180.builder()
				.setHeader()
				.setSkipHeaderRecord(true)
				.get()
				.parse(in)
				.getRecords()
				.stream()
				.map(CSVRecord::toList)
				.toList();
		}
	}

	private static void account(MigratedDatabase db, String incident, long seq, String id, String primary,
			String suppressed) {
		db.jdbc().update("""
				insert into mg_audience (incident_id, seq, account_id, email, email_key, name, currency, monthly_fee,
				  primary_account_id, covers, suppressed)
				values (?, ?, ?, ?, ?, 'Pat', 'USD', 17.99, ?, 1, ?)""", incident, seq, id,
				id.toLowerCase() + "@example.org", id.toLowerCase() + "@example.org", primary, suppressed);
	}

	private static void message(MigratedDatabase db, String incident, String id, long seq, String status,
			String lastError) {
		db.jdbc().update("""
				insert into mg_outbox (incident_id, account_id, seq, recipient, status, last_error, message_id,
				  created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", incident, id, seq, id.toLowerCase() + "@example.org", status,
				lastError, "<" + id + "@makegood>", NOW, NOW);
	}

	private static void credit(MigratedDatabase db, String incident, String id, String kind, BigDecimal amount,
			String currency, String item) {
		db.jdbc().update("""
				insert into mg_credit (incident_id, account_id, kind, amount, currency, item, status, created_at,
				  updated_at)
				values (?, ?, ?, ?, ?, ?, 'APPLIED', ?, ?)""", incident, id, kind, amount, currency, item, NOW, NOW);
	}

	private static void reject(MigratedDatabase db, String incident, long rowNo, String id, String reason,
			String detail) {
		db.jdbc().update("""
				insert into mg_audience_reject (incident_id, row_no, account_id, reason, detail)
				values (?, ?, ?, ?, ?)""", incident, rowNo, id, reason, detail);
	}

}
