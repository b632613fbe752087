package io.makegood.job;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.audience.EmailKey;
import io.makegood.delivery.MessageIds;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import io.makegood.support.TestDatabases.Database;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acceptance tests of the whole recovery job, driven through the CLI as an operator would run it: real
 * databases (embedded PostgreSQL, HSQLDB), a real SMTP server on loopback (GreenMail), real spec, CSV and
 * report files. Every assertion is on what the mail server received or what the tables and files hold.
 */
class RecoveryJobEndToEndTest {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	private static final Path TEMPLATES = Path.of("jobs", "templates").toAbsolutePath();

	private static final String SUPPORT_PHONE = "1-866-555-0199";

	private static final String FROM_DOMAIN = "example.com";

	private static final List<String> MG_TABLES = List.of("mg_incident", "mg_incident_event", "mg_audience",
			"mg_audience_reject", "mg_suppression", "mg_credit", "mg_outbox", "mg_run_lock");

	@TempDir
	Path work;

	static Stream<Named<DatabaseKind>> databases() {
		return Stream.of(Named.of("PostgreSQL", DatabaseKind.POSTGRES), Named.of("HSQLDB", DatabaseKind.HSQLDB));
	}

	enum DatabaseKind {

		POSTGRES, HSQLDB;

		Database create() {
			return this == POSTGRES ? TestDatabases.postgres() : TestDatabases.hsqldb();
		}

	}

	// ---------------------------------------------------------------------------------------------------------
	// 1. 500 accounts from an SQL source, credited and mailed over SMTP, on both databases

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void creditsAndMailsEveryAffectedAccountOnce(DatabaseKind kind) throws Exception {
		Database db = kind.create();
		Map<String, Account> affected = createStreamingAccounts(db.jdbc(), 500, 20);
		String incident = "outage-e2e-" + kind.name().toLowerCase();
		Path spec = writeSpec(incident, """
				window:
				  start: 2026-11-28T18:05:00Z
				  end: 2026-11-28T23:40:00Z
				audience:
				  source: sql
				  query: |
				    select a.account_id, a.email, a.name, a.plan, a.currency, a.monthly_fee, a.locale
				    from accounts a
				    where exists (
				      select 1 from playback_failures f
				      where f.account_id = a.account_id and f.attempted_at between :windowStart and :windowEnd
				    )
				compensation:
				  kind: percent-of-fee
				  percent: 3
				""");

		Cli.Result run = cli(db).run("run", spec.toString());
		assertThat(run.exitCode()).as(run.output()).isZero();

		// the mail server: exactly one message per affected account, each to that account alone
		MimeMessage[] received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(500);
		Map<String, Account> byEmail = affected.values().stream()
			.collect(Collectors.toMap(Account::email, a -> a));
		Set<String> recipients = new HashSet<>();
		for (MimeMessage message : received) {
			String to = onlyRecipient(message);
			assertThat(recipients.add(to)).as("second message to %s", to).isTrue();
			Account account = byEmail.get(to);
			assertThat(account).as("%s is not an affected account", to).isNotNull();
			assertThat(message.getMessageID()).isEqualTo(MessageIds.of(incident, account.id(), FROM_DOMAIN));
			assertThat(content(message).text()).as(to).contains(account.id(), SUPPORT_PHONE);
		}
		assertThat(recipients).containsExactlyInAnyOrderElementsOf(byEmail.keySet());

		// the ledger: one credit per account, 3% of its fee at its currency's minor unit
		JdbcTemplate jdbc = db.jdbc();
		Map<String, Credit> credits = credits(jdbc, incident);
		assertThat(credits).hasSize(500);
		affected.values().forEach(a -> assertThat(credits.get(a.id()))
			.as(a.id())
			.isEqualTo(new Credit(threePercent(a), a.currency(), "PERCENT_OF_FEE", "APPLIED")));
		assertThat(credits.get("A0001")).isEqualTo(new Credit(new BigDecimal("0.24"), "USD", "PERCENT_OF_FEE", "APPLIED"));
		assertThat(credits.get("A0002")).isEqualTo(new Credit(new BigDecimal("36"), "JPY", "PERCENT_OF_FEE", "APPLIED"));
		assertThat(credits.get("A0003")).isEqualTo(new Credit(new BigDecimal("0.39"), "EUR", "PERCENT_OF_FEE", "APPLIED"));
		assertThat(credits.keySet()).noneMatch(id -> id.compareTo("A0500") > 0);
		assertThat(count(jdbc, "select count(*) from mg_outbox where incident_id = ? and status = 'SENT'", incident))
			.isEqualTo(500);
		assertThat(jdbc.queryForList("select message_id from mg_outbox where incident_id = ? and account_id = 'A0002'",
				String.class, incident)).containsExactly(MessageIds.of(incident, "A0002", FROM_DOMAIN));
		assertThat(count(jdbc, "select count(*) from mg_audience where incident_id = ?", incident)).isEqualTo(500);
		assertThat(count(jdbc, "select count(*) from mg_audience_reject where incident_id = ?", incident)).isZero();
		assertThat(count(jdbc, "select audience_size from mg_incident where id = ?", incident)).isEqualTo(500);

		// what the customers read: their own credit and the support phone, in both parts
		Content usd = content(receivedBy("a0001@example.org"));
		assertThat(usd.text()).contains("$0.24", "A0001", SUPPORT_PHONE).doesNotContain("0.239");
		assertThat(usd.html()).contains("$0.24", "A0001", SUPPORT_PHONE);
		Content jpy = content(receivedBy("a0002@example.org"));
		assertThat(jpy.text()).containsPattern("[¥￥]\\s?36(?![.,\\d])").contains("A0002", SUPPORT_PHONE);
		assertThat(jpy.html()).containsPattern("[¥￥]\\s?36(?![.,\\d])").contains(SUPPORT_PHONE);
		Content eur = content(receivedBy("a0003@example.org"));
		assertThat(eur.text()).containsPattern("0,39[\\s\u00A0\u202F]?€").contains(SUPPORT_PHONE);
		assertThat(eur.html()).containsPattern("0,39[\\s\u00A0\u202F]?€").contains(SUPPORT_PHONE);

		Cli.Result status = cli(db).run("status", incident);
		assertThat(status.exitCode()).as(status.output()).isZero();
		assertThat(status.output()).contains(incident);

		Path export = work.resolve("credits.csv");
		Cli.Result exported = cli(db).run("export-credits", incident, "--out", export.toString());
		assertThat(exported.exitCode()).as(exported.output()).isZero();
		List<CSVRecord> rows = readCsv(export);
		try (Stream<Path> files = Files.list(work)) {
			assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".partial"));
		}
		assertThat(rows).hasSize(500);
		assertThat(rows).allSatisfy(row -> {
			assertThat(row.get("idempotency_key")).isEqualTo(incident + "/" + row.get("account_id"));
			assertThat(row.get("incident_id")).isEqualTo(incident);
		});
		assertThat(rows.stream().map(r -> r.get("account_id"))).containsExactlyInAnyOrderElementsOf(affected.keySet());
		Map<String, CSVRecord> exportedById = rows.stream().collect(Collectors.toMap(r -> r.get("account_id"), r -> r));
		assertThat(exportedById.get("A0001").get("amount")).isEqualTo("0.24");
		assertThat(exportedById.get("A0001").get("currency")).isEqualTo("USD");
		assertThat(exportedById.get("A0002").get("amount")).isEqualTo("36");
		assertThat(exportedById.get("A0002").get("currency")).isEqualTo("JPY");
	}

	// ---------------------------------------------------------------------------------------------------------
	// 2. duplicate and bad rows are rejected with a reason, never mailed, and reported

	@Test
	void rejectsDuplicateAndBadRowsWithAReasonAndMailsTheRest() throws Exception {
		Database db = TestDatabases.hsqldb();
		writeCsv("affected.csv", """
				account_id,email,name,plan,currency,monthly_fee,locale
				C001,c001@example.org,Ada Lovelace,Basic,USD,7.99,en-US
				C002,c002@example.org,Grace Hopper,Basic,USD,7.99,en-US
				C002,c002-again@example.org,Grace Again,Basic,USD,7.99,en-US
				C003,not-an-address,Bad Address,Basic,USD,7.99,en-US
				C004,c004@example.org,"Mallory\r
				Bcc: victim@example.net",Basic,USD,7.99,en-US
				C005,c005@example.org,Jean Dupont,Standard,EUR,12.99,fr-FR
				""");
		String incident = "bad-rows-e2e";
		Path spec = writeSpec(incident, csvAudience("affected.csv") + percentOfFee());

		Cli.Result run = cli(db).run("run", spec.toString());
		assertThat(run.exitCode()).as(run.output()).isZero();

		assertThat(recipientsReceived()).containsExactlyInAnyOrder("c001@example.org", "c002@example.org",
				"c005@example.org");
		for (MimeMessage message : greenMail.getReceivedMessages()) {
			assertThat(message.getHeader("Bcc")).isNull();
			assertThat(content(message).text()).doesNotContain("Grace Again", "Mallory", "victim");
		}

		JdbcTemplate jdbc = db.jdbc();
		assertThat(rejects(jdbc, incident)).containsExactlyInAnyOrder("C002 duplicate-account", "C003 invalid-email",
				"C004 control-characters");
		assertThat(credits(jdbc, incident)).containsOnlyKeys("C001", "C002", "C005");
		assertThat(outbox(jdbc, incident)).containsOnlyKeys("C001", "C002", "C005");
		assertThat(jdbc.queryForList("select email from mg_audience where incident_id = ? and account_id = 'C002'",
				String.class, incident)).containsExactly("c002@example.org");

		List<CSVRecord> report = readCsv(work.resolve("reports").resolve(incident).resolve("accounts.csv"));
		assertThat(report).extracting(r -> r.get("account_id") + " " + r.get("outcome"))
			.containsExactlyInAnyOrder("C001 SENT", "C002 SENT", "C005 SENT", "C002 FAILED", "C003 FAILED",
					"C004 FAILED");
		Map<String, String> failedReasons = report.stream()
			.filter(r -> r.get("outcome").equals("FAILED"))
			.collect(Collectors.toMap(r -> r.get("account_id"), r -> r.get("reason")));
		assertThat(failedReasons.get("C002")).contains("duplicate-account");
		assertThat(failedReasons.get("C003")).contains("invalid-email").doesNotContain("not-an-address");
		assertThat(failedReasons.get("C004")).contains("control-characters").doesNotContain("Mallory");
		// C002's second listing is a rejected row, not a sixth account
		assertThat(Files.readString(work.resolve("reports").resolve(incident).resolve("report.txt")))
			.contains("accounts:  FAILED 2, SENT 3");
	}

	// ---------------------------------------------------------------------------------------------------------
	// 3. triggering a completed incident again sends and credits nothing

	@Test
	void runningACompletedIncidentAgainSendsAndCreditsNothing() throws Exception {
		Database db = TestDatabases.postgres();
		writeCsv("affected.csv", csvOf(20));
		String incident = "double-trigger-e2e";
		Path spec = writeSpec(incident, csvAudience("affected.csv") + percentOfFee());

		Cli.Result first = cli(db).run("run", spec.toString());
		assertThat(first.exitCode()).as(first.output()).isZero();
		assertThat(greenMail.getReceivedMessages()).hasSize(20);
		JdbcTemplate jdbc = db.jdbc();
		List<Map<String, Object>> creditsBefore = jdbc
			.queryForList("select * from mg_credit where incident_id = ? order by account_id", incident);
		List<Map<String, Object>> outboxBefore = jdbc
			.queryForList("select * from mg_outbox where incident_id = ? order by account_id", incident);
		assertThat(creditsBefore).hasSize(20);
		assertThat(outboxBefore).hasSize(20).allSatisfy(row -> assertThat(row.get("status")).isEqualTo("SENT"));

		Cli.Result second = cli(db).run("run", spec.toString());
		assertThat(second.exitCode()).as(second.output()).isZero();
		assertThat(greenMail.getReceivedMessages()).as("messages after the second run").hasSize(20);
		assertThat(jdbc.queryForList("select * from mg_credit where incident_id = ? order by account_id", incident))
			.isEqualTo(creditsBefore);
		assertThat(jdbc.queryForList("select * from mg_outbox where incident_id = ? order by account_id", incident))
			.isEqualTo(outboxBefore);
		assertThat(count(jdbc, "select count(*) from mg_audience where incident_id = ?", incident)).isEqualTo(20);
	}

	// ---------------------------------------------------------------------------------------------------------
	// 4. an invalid spec is refused before anything is written

	@Test
	void refusesAnInvalidSpecNamingEveryProblemAndWritesNothing() throws Exception {
		Database db = TestDatabases.hsqldb();
		writeCsv("affected.csv", csvOf(3));
		Path spec = work.resolve("invalid.yml");
		Files.writeString(spec, """
				id: invalid-e2e
				title: Streaming unavailable
				window:
				  start: 2026-11-28T23:40:00Z
				  end: 2026-11-28T18:05:00Z
				audience:
				  source: csv
				  file: affected.csv
				compensation:
				  kind: percent-of-fee
				  percent: 150
				message:
				  template: streaming-outage
				  from: "Example Streaming <care@example.com>, other@example.com"
				  support-phone: "%s"
				  colour: blue
				""".formatted(SUPPORT_PHONE));

		Cli.Result run = cli(db).run("run", spec.toString());

		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
		assertThat(run.output()).contains("compensation.percent", "message.colour", "message.from", "window")
			.contains("150")
			.containsIgnoringCase("before");
		assertThat(greenMail.getReceivedMessages()).isEmpty();
		assertNothingWritten(db.jdbc());
	}

	@Test
	void refusesATemplateTheDataCannotFillAndWritesNothing() throws Exception {
		Database db = TestDatabases.hsqldb();
		Path templates = work.resolve("templates");
		Path broken = Files.createDirectories(templates.resolve("voucher"));
		Files.writeString(broken.resolve("subject.mustache"), "Sorry, {{firstName}}");
		Files.writeString(broken.resolve("text.mustache"), "Your voucher code is {{voucherCode}}.");
		Files.writeString(broken.resolve("html.mustache"), "<p>Your voucher code is {{voucherCode}}.</p>");
		writeCsv("affected.csv", csvOf(3));
		Path spec = work.resolve("voucher.yml");
		Files.writeString(spec, """
				id: voucher-e2e
				title: Streaming unavailable
				audience:
				  source: csv
				  file: affected.csv
				compensation:
				  kind: percent-of-fee
				  percent: 3
				message:
				  template: voucher
				  from: "Example Streaming <care@example.com>"
				""");

		Cli.Result run = cli(db, templates).run("run", spec.toString());

		assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
		assertThat(run.output()).contains("message.template", "voucherCode");
		assertThat(greenMail.getReceivedMessages()).isEmpty();
		assertNothingWritten(db.jdbc());
	}

	// ---------------------------------------------------------------------------------------------------------
	// 5. accounts sharing an address get one message announcing every credit

	@Test
	void accountsSharingAnAddressGetOneMessageAnnouncingBothCredits() throws Exception {
		Database db = TestDatabases.hsqldb();
		writeCsv("affected.csv", """
				account_id,email,name,plan,currency,monthly_fee,locale
				F001,family@example.org,Pat Parent,Premium,USD,17.99,en-US
				F002,family@example.org,Kim Kid,Basic,USD,7.99,en-US
				S001,single@example.org,Sam Single,Standard,USD,13.99,en-US
				""");
		String incident = "shared-address-e2e";
		Path spec = writeSpec(incident, csvAudience("affected.csv") + percentOfFee());

		Cli.Result run = cli(db).run("run", spec.toString());
		assertThat(run.exitCode()).as(run.output()).isZero();

		assertThat(recipientsReceived()).containsExactlyInAnyOrder("family@example.org", "single@example.org");
		Content family = content(receivedBy("family@example.org"));
		// 3% of 17.99 = 0.5397 -> $0.54 for F001, 3% of 7.99 = 0.2397 -> $0.24 for F002
		assertThat(family.text()).contains("F001", "$0.54", "F002", "$0.24");
		assertThat(family.html()).contains("F001", "$0.54", "F002", "$0.24");
		assertThat(content(receivedBy("single@example.org")).text()).contains("$0.42").doesNotContain("F00");

		JdbcTemplate jdbc = db.jdbc();
		Map<String, Credit> credits = credits(jdbc, incident);
		assertThat(credits).containsOnlyKeys("F001", "F002", "S001");
		assertThat(credits.get("F001").amount()).isEqualByComparingTo("0.54");
		assertThat(credits.get("F002").amount()).isEqualByComparingTo("0.24");
		assertThat(outbox(jdbc, incident)).containsOnlyKeys("F001", "S001")
			.containsEntry("F001", "SENT")
			.containsEntry("S001", "SENT");

		Map<String, CSVRecord> report = readCsv(work.resolve("reports").resolve(incident).resolve("accounts.csv"))
			.stream()
			.collect(Collectors.toMap(r -> r.get("account_id"), r -> r));
		assertThat(report).containsOnlyKeys("F001", "F002", "S001");
		assertThat(report.get("F001").get("outcome")).isEqualTo("SENT");
		assertThat(report.get("F001").get("announced_by_account")).isEmpty();
		assertThat(report.get("F002").get("announced_by_account")).isEqualTo("F001");
		assertThat(report.get("F002").get("credit_amount")).isEqualTo("0.24");
	}

	// ---------------------------------------------------------------------------------------------------------
	// 6. a suppressed address is credited but not mailed

	@Test
	void suppressedAddressIsCreditedButNotMailed() throws Exception {
		Database db = TestDatabases.hsqldb();
		// the operator's suppression list predates the incident: create makegood's tables as a first start would
		Flyway.configure()
			.dataSource(db.dataSource())
			.locations("classpath:db/migration/hsqldb")
			.load()
			.migrate();
		db.jdbc().update("insert into mg_suppression (email_key, reason, detail, created_at) values (?, ?, ?, ?)",
				EmailKey.of("bounced@example.org"), "BOUNCED", "hard bounce", Timestamp.from(Instant.now()));
		writeCsv("affected.csv", """
				account_id,email,name,plan,currency,monthly_fee,locale
				B001,Bounced@Example.org,Bo Bounced,Basic,USD,7.99,en-US
				B002,fine@example.org,Fay Fine,Basic,USD,7.99,en-US
				""");
		String incident = "suppression-e2e";
		Path spec = writeSpec(incident, csvAudience("affected.csv") + percentOfFee());

		Cli.Result run = cli(db).run("run", spec.toString());
		assertThat(run.exitCode()).as(run.output()).isZero();

		assertThat(recipientsReceived()).containsExactly("fine@example.org");
		JdbcTemplate jdbc = db.jdbc();
		assertThat(credits(jdbc, incident)).containsOnlyKeys("B001", "B002");
		assertThat(credits(jdbc, incident).get("B001"))
			.isEqualTo(new Credit(new BigDecimal("0.24"), "USD", "PERCENT_OF_FEE", "APPLIED"));
		assertThat(outbox(jdbc, incident)).containsEntry("B001", "SUPPRESSED").containsEntry("B002", "SENT");
		assertThat(readCsv(work.resolve("reports").resolve(incident).resolve("accounts.csv")))
			.extracting(r -> r.get("account_id") + " " + r.get("outcome") + " " + r.get("reason"))
			.containsExactlyInAnyOrder("B001 SUPPRESSED suppressed: BOUNCED", "B002 SENT ");
	}

	// ---------------------------------------------------------------------------------------------------------
	// data and spec builders

	record Account(String id, String email, String currency, BigDecimal fee) {
	}

	record Credit(BigDecimal amount, String currency, String kind, String status) {

		Credit {
			amount = amount == null ? null : amount.stripTrailingZeros();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Credit c && amount.compareTo(c.amount) == 0 && currency.equals(c.currency)
					&& kind.equals(c.kind) && status.equals(c.status);
		}

		@Override
		public int hashCode() {
			return currency.hashCode();
		}

	}

	record Content(String text, String html) {
	}

	/**
	 * {@code affected} accounts with a failed playback inside the outage window (one exactly at its start),
	 * followed by {@code unaffected} accounts whose failures were before it. A0001 pays 7.99 USD, A0002 1200 JPY,
	 * A0003 12.99 EUR; the rest cycle through the plans.
	 * @return the affected accounts by id
	 */
	private static Map<String, Account> createStreamingAccounts(JdbcTemplate jdbc, int affected, int unaffected) {
		jdbc.execute("""
				create table accounts (
				  account_id varchar(20) primary key, email varchar(320) not null, name varchar(200), plan varchar(50),
				  currency char(3), monthly_fee numeric(10,2), locale varchar(35))""");
		jdbc.execute("""
				create table playback_failures (
				  account_id varchar(20) not null, attempted_at timestamp with time zone not null)""");
		Object[][] plans = { { "Basic", "USD", "7.99", "en-US" }, { "Basic", "JPY", "1200", "ja-JP" },
				{ "Standard", "EUR", "12.99", "fr-FR" }, { "Premium", "USD", "17.99", "en-GB" },
				{ "Basic", "EUR", "7.99", "de-DE" }, { "Standard", "JPY", "990", "ja-JP" } };
		Instant windowStart = Instant.parse("2026-11-28T18:05:00Z");
		List<Object[]> accounts = new ArrayList<>();
		List<Object[]> failures = new ArrayList<>();
		Map<String, Account> affectedAccounts = new HashMap<>();
		for (int i = 1; i <= affected + unaffected; i++) {
			String id = "A%04d".formatted(i);
			String email = id.toLowerCase() + "@example.org";
			Object[] plan = plans[(i - 1) % plans.length];
			BigDecimal fee = new BigDecimal((String) plan[2]);
			accounts.add(new Object[] { id, email, "Viewer " + id + " Example", plan[0], plan[1], fee, plan[3] });
			if (i <= affected) {
				Instant at = windowStart.plusSeconds((i - 1) * 37L % (5 * 3600));
				failures.add(new Object[] { id, Timestamp.from(at) });
				if (i % 3 == 0) {
					failures.add(new Object[] { id, Timestamp.from(at.plusSeconds(60)) });
				}
				affectedAccounts.put(id, new Account(id, email, (String) plan[1], fee));
			}
			else {
				failures.add(new Object[] { id, Timestamp.from(windowStart.minusSeconds(60 + i)) });
			}
		}
		jdbc.batchUpdate("insert into accounts values (?, ?, ?, ?, ?, ?, ?)", accounts);
		jdbc.batchUpdate("insert into playback_failures values (?, ?)", failures);
		return affectedAccounts;
	}

	private static BigDecimal threePercent(Account account) {
		int digits = Currency.getInstance(account.currency()).getDefaultFractionDigits();
		return account.fee().multiply(new BigDecimal("0.03")).setScale(digits, RoundingMode.HALF_EVEN);
	}

	private static String csvOf(int accounts) {
		StringBuilder csv = new StringBuilder("account_id,email,name,plan,currency,monthly_fee,locale\n");
		for (int i = 1; i <= accounts; i++) {
			csv.append("R%03d,r%03d@example.org,Reader %d,Basic,USD,7.99,en-US\n".formatted(i, i, i));
		}
		return csv.toString();
	}

	private static String csvAudience(String file) {
		return """
				audience:
				  source: csv
				  file: %s
				""".formatted(file);
	}

	private static String percentOfFee() {
		return """
				compensation:
				  kind: percent-of-fee
				  percent: 3
				""";
	}

	private Path writeSpec(String incident, String body) throws IOException {
		Path spec = work.resolve(incident + ".yml");
		Files.writeString(spec, """
				id: %s
				title: Streaming unavailable on 28 November
				%smessage:
				  template: streaming-outage
				  from: "Example Streaming <care@%s>"
				  support-phone: "%s"
				""".formatted(incident, body, FROM_DOMAIN, SUPPORT_PHONE), StandardCharsets.UTF_8);
		return spec;
	}

	/** Writes a CSV with CRLF line ends, as spreadsheets export it. */
	private void writeCsv(String name, String content) throws IOException {
		Files.writeString(work.resolve(name), content.replace("\r\n", "\n").replace("\n", "\r\n"),
				StandardCharsets.UTF_8);
	}

	private Cli cli(Database db) {
		return cli(db, TEMPLATES);
	}

	private Cli cli(Database db, Path templates) {
		return new Cli(Makegood.on(db, work)
			.smtp(greenMail.getSmtp().getPort())
			.with("--makegood.templates=" + templates));
	}

	// ---------------------------------------------------------------------------------------------------------
	// reading what happened

	private static String onlyRecipient(MimeMessage message) throws MessagingException {
		assertThat(message.getRecipients(RecipientType.TO)).as("To").hasSize(1);
		assertThat(message.getRecipients(RecipientType.CC)).as("Cc").isNull();
		assertThat(message.getRecipients(RecipientType.BCC)).as("Bcc").isNull();
		assertThat(message.getHeader("Bcc")).isNull();
		assertThat(message.getMessageID()).as("Message-ID").isNotBlank();
		return ((InternetAddress) message.getRecipients(RecipientType.TO)[0]).getAddress();
	}

	private static List<String> recipientsReceived() throws MessagingException {
		List<String> recipients = new ArrayList<>();
		for (MimeMessage message : greenMail.getReceivedMessages()) {
			recipients.add(onlyRecipient(message));
		}
		return recipients;
	}

	private static MimeMessage receivedBy(String address) {
		MimeMessage[] messages = greenMail.getReceivedMessagesForDomain(address);
		assertThat(messages).as("messages to %s", address).hasSize(1);
		return messages[0];
	}

	private static Content content(MimeMessage message) throws IOException, MessagingException {
		assertThat(message.getContentType()).startsWith("multipart/alternative");
		MimeMultipart parts = (MimeMultipart) message.getContent();
		String text = null;
		String html = null;
		for (int i = 0; i < parts.getCount(); i++) {
			BodyPart part = parts.getBodyPart(i);
			if (part.isMimeType("text/plain")) {
				text = (String) part.getContent();
			}
			else if (part.isMimeType("text/html")) {
				html = (String) part.getContent();
			}
		}
		assertThat(text).as("text part").isNotNull();
		assertThat(html).as("html part").isNotNull();
		return new Content(text, html);
	}

	private static Map<String, Credit> credits(JdbcTemplate jdbc, String incident) {
		Map<String, Credit> credits = new HashMap<>();
		jdbc.query("select account_id, amount, currency, kind, status from mg_credit where incident_id = ?", rs -> {
			String currency = rs.getString("currency");
			credits.put(rs.getString("account_id"), new Credit(rs.getBigDecimal("amount"),
					currency == null ? null : currency.trim(), rs.getString("kind"), rs.getString("status")));
		}, incident);
		return credits;
	}

	private static Map<String, String> outbox(JdbcTemplate jdbc, String incident) {
		Map<String, String> statuses = new HashMap<>();
		jdbc.query("select account_id, status from mg_outbox where incident_id = ?",
				rs -> {
					statuses.put(rs.getString(1), rs.getString(2));
				}, incident);
		return statuses;
	}

	private static List<String> rejects(JdbcTemplate jdbc, String incident) {
		return jdbc.query("select account_id, reason from mg_audience_reject where incident_id = ?",
				(rs, n) -> rs.getString(1) + " " + rs.getString(2), incident);
	}

	private static long count(JdbcTemplate jdbc, String sql, Object... args) {
		Long value = jdbc.queryForObject(sql, Long.class, args);
		return value == null ? 0 : value;
	}

	private static List<CSVRecord> readCsv(Path file) throws IOException {
		try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
		}
	}

	/** The app created its tables (migrations ran) but not a single row in any of them. */
	private static void assertNothingWritten(JdbcTemplate jdbc) {
		List<String> tables = jdbc.queryForList(
				"select lower(table_name) from information_schema.tables where lower(table_name) like 'mg%'",
				String.class);
		assertThat(tables).containsAll(MG_TABLES);
		for (String table : tables) {
			assertThat(count(jdbc, "select count(*) from " + table)).as(table).isZero();
		}
		assertThat(count(jdbc, "select count(*) from batch_job_instance")).as("batch_job_instance").isZero();
	}

	/** Runs the CLI in-process, capturing what it prints for the operator. */
	record Cli(Makegood makegood) {

		record Result(int exitCode, String output) {
		}

		Result run(String... command) {
			java.io.PrintStream out = System.out;
			java.io.PrintStream err = System.err;
			java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
			java.io.PrintStream both = new java.io.PrintStream(captured, true, StandardCharsets.UTF_8);
			int code;
			long started = System.nanoTime();
			System.setOut(both);
			System.setErr(both);
			try {
				code = makegood.run(command);
			}
			finally {
				System.setOut(out);
				System.setErr(err);
			}
			String output = captured.toString(StandardCharsets.UTF_8);
			out.printf("$ makegood %s -> %d (%d ms)%n", String.join(" ", Arrays.asList(command)), code,
					(System.nanoTime() - started) / 1_000_000);
			out.print(output);
			return new Result(code, output);
		}

	}

}
