package io.makegood.safety;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.ops.ExitCodes;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Acceptance tests of issue 5 on PostgreSQL with a real SMTP server (GreenMail). */
class AudienceSafetyTest {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@TempDir
	Path dir;

	SafetyFixture fixture;

	Makegood makegood;

	@BeforeEach
	void setUp() {
		TestDatabases.Database database = TestDatabases.postgres();
		makegood = Makegood.on(database, dir).smtp(smtp.getSmtp().getPort());
		assertThat(makegood.run("status")).isZero(); // migrates the schema before the accounts table exists
		fixture = new SafetyFixture(database, dir);
	}

	@Test
	void previewWritesAndSendsNothingAndMatchesTheRun() throws Exception {
		fixture.accounts("A", 40, "roku");
		// a duplicate address and an invalid one, so the preview has shared addresses and rejects to report
		fixture.jdbc.update("update accounts set email = 'a-0001@example.com' where account_id = 'A-0002'");
		fixture.jdbc.update("update accounts set email = 'not-an-address' where account_id = 'A-0003'");
		Path spec = fixture.spec("preview-1", "roku", null);
		Map<String, Long> before = fixture.rowCounts();

		Path out = dir.resolve("preview");
		assertThat(makegood.run("preview", spec.toString(), "--out", out.toString())).isEqualTo(ExitCodes.DONE);

		assertThat(fixture.rowCounts()).isEqualTo(before);
		assertThat(smtp.getReceivedMessages()).isEmpty();
		JsonNode preview = JsonMapper.builder().build().readTree(Files.readString(out.resolve("preview.json")));
		assertThat(preview.get("accepted").asLong()).isEqualTo(39);
		assertThat(preview.get("rejectsByReason").get("invalid-email").asLong()).isEqualTo(1);
		assertThat(preview.get("sharedAddressAccounts").asLong()).isEqualTo(1);
		assertThat(preview.get("messages").asLong()).isEqualTo(38);
		assertThat(preview.get("byCurrency").get("EUR").asLong() + preview.get("byCurrency").get("USD").asLong())
			.isEqualTo(39);
		assertThat(Files.readString(out.resolve("preview.html"))).contains(preview.get("planHash").asString());
		for (int i = 1; i <= 5; i++) {
			try (InputStream in = Files.newInputStream(out.resolve("samples/sample-" + i + ".eml"))) {
				MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
				assertThat(message.getSubject()).isNotBlank();
				assertThat(message.getAllRecipients()).hasSize(1);
			}
			assertThat(out.resolve("samples/sample-" + i + ".html")).exists();
		}

		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.DONE);
		assertThat(fixture.count("select count(*) from mg_audience where incident_id = 'preview-1'")).isEqualTo(39);
		assertThat(fixture.count("select count(*) from mg_outbox where incident_id = 'preview-1' and status = 'SENT'"))
			.isEqualTo(38);
		assertThat(smtp.getReceivedMessages()).hasSize(38);
		Map<String, BigDecimal> granted = new TreeMap<>();
		fixture.jdbc.query("select currency, sum(amount) from mg_credit where incident_id = 'preview-1' group by currency",
				rs -> {
					granted.put(rs.getString(1).trim(), rs.getBigDecimal(2));
				});
		assertThat(granted).hasSize(2);
		granted.forEach((currency, total) -> assertThat(
				new BigDecimal(preview.get("creditByCurrency").get(currency).get("total").asString()))
			.isEqualByComparingTo(total));
	}

	@Test
	void guardRefusesAnAudienceThreeTimesTheExpectedOneAndLetsACorrectedSpecProceed() {
		fixture.accounts("G", 30, "roku");
		Path tooSmall = fixture.spec("guard-1", "roku", "guard: { expected: 10, tolerance: 10%, max: 1000 }\n");
		assertThat(makegood.run("run", tooSmall.toString())).isEqualTo(ExitCodes.REFUSED);
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();

		Path corrected = fixture.spec("guard-1", "roku", "guard: { expected: 28, tolerance: 10%, max: 1000 }\n");
		assertThat(makegood.run("run", corrected.toString())).isEqualTo(ExitCodes.DONE);
		assertThat(fixture.count("select count(*) from mg_credit")).isEqualTo(30);
		assertThat(smtp.getReceivedMessages()).hasSize(30);
	}

	@Test
	void guardRequiresExpectedAboveTheConfiguredThreshold() {
		fixture.accounts("T", 12, "roku");
		Path spec = fixture.spec("guard-2", "roku", null);
		assertThat(makegood.with("--makegood.safety.require-expected-above=10").run("run", spec.toString()))
			.isEqualTo(ExitCodes.REFUSED);
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	@Test
	void approvalWithAStaleHashIsRefusedAndTheFreshHashProceeds() throws Exception {
		fixture.accounts("P", 10, "roku");
		Path spec = fixture.spec("approval-1", "roku", "approval: required\n");
		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.REFUSED);
		String stale = planHash(spec);

		fixture.accounts("Q", 3, "roku"); // the audience data changes after the review
		assertThat(makegood.run("run", spec.toString(), "--approve", stale)).isEqualTo(ExitCodes.REFUSED);
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();

		String fresh = planHash(spec);
		assertThat(fresh).isNotEqualTo(stale);
		assertThat(makegood.run("run", spec.toString(), "--approve", fresh)).isEqualTo(ExitCodes.DONE);
		assertThat(smtp.getReceivedMessages()).hasSize(13);
	}

	@Test
	void approvalIsRefusedWhenAFeeChangedBetweenPreviewAndRun() throws Exception {
		fixture.accounts("M", 6, "roku");
		Path spec = fixture.spec("approval-fee", "roku", "approval: required\n");
		String approved = planHash(spec);

		// same accounts, same addresses: only the amount one of them would be credited changes
		fixture.jdbc.update("update accounts set monthly_fee = monthly_fee * 100 where account_id = 'M-0004'");
		assertThat(makegood.run("run", spec.toString(), "--approve", approved)).isEqualTo(ExitCodes.REFUSED);

		assertStaleApprovalRefusedAndNothingDone();
	}

	@Test
	void approvalIsRefusedWhenAnAddressChangedBetweenPreviewAndRun() throws Exception {
		fixture.accounts("N", 6, "roku");
		Path spec = fixture.spec("approval-address", "roku", "approval: required\n");
		String approved = planHash(spec);

		// same accounts, same fees: only where one message would go changes
		fixture.jdbc.update("update accounts set email = 'someone@other.example' where account_id = 'N-0003'");
		assertThat(makegood.run("run", spec.toString(), "--approve", approved)).isEqualTo(ExitCodes.REFUSED);

		assertStaleApprovalRefusedAndNothingDone();
		assertThat(guardExitStatus().get("exit_message").toString()).doesNotContain("other.example");

		// approving the plan as it now is lets the run through, to the new address
		assertThat(makegood.run("run", spec.toString(), "--approve", planHash(spec))).isEqualTo(ExitCodes.DONE);
		assertThat(smtp.getReceivedMessagesForDomain("other.example")).hasSize(1);
		assertThat(smtp.getReceivedMessages()).hasSize(6);
	}

	private void assertStaleApprovalRefusedAndNothingDone() {
		Map<String, Object> guard = guardExitStatus();
		assertThat(guard.get("exit_code")).isEqualTo("REFUSED");
		assertThat(guard.get("exit_message").toString()).contains("does not match what would be sent now");
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	private Map<String, Object> guardExitStatus() {
		return fixture.jdbc.queryForMap("select exit_code, exit_message from batch_step_execution"
				+ " where step_name = 'guard' order by step_execution_id desc fetch first 1 rows only");
	}

	@Test
	void followUpTargetsExactlyTheAccountsTheEarlierIncidentMailed() {
		fixture.accounts("F", 10, "roku");
		assertThat(makegood.run("run", fixture.spec("first", "roku", null).toString())).isZero();
		// the earlier incident partly failed: two refused permanently, one left in doubt
		fixture.jdbc.update("update mg_outbox set status = 'FAILED' where account_id in ('F-0001', 'F-0002')");
		fixture.jdbc.update("update mg_outbox set status = 'IN_DOUBT' where account_id = 'F-0003'");
		Makegood uncapped = makegood.with("--makegood.frequency-cap.messages=0");

		Path apology = fixture.write("apology.yml", """
				id: apology
				title: Sorry about the earlier message
				audience: { source: recipients-of, incident: first }
				message:
				  template: apology
				  from: "Example Streaming <care@example.com>"
				""");
		assertThat(uncapped.run("run", apology.toString())).isZero();
		assertThat(audience("apology")).containsExactly("F-0004", "F-0005", "F-0006", "F-0007", "F-0008", "F-0009",
				"F-0010");
		assertThat(fixture.count("select count(*) from mg_credit where incident_id = 'apology' and kind = 'NONE'"))
			.isEqualTo(7);

		Path makeGood = fixture.write("make-good.yml", """
				id: make-good
				title: A credit for the trouble
				audience: { source: recipients-of, incident: first, status: [SENT, IN_DOUBT] }
				compensation: { kind: fixed, amount: 5 }
				message:
				  template: streaming-outage
				  from: "Example Streaming <care@example.com>"
				""");
		assertThat(uncapped.run("run", makeGood.toString())).isZero();
		assertThat(audience("make-good")).containsExactly("F-0003", "F-0004", "F-0005", "F-0006", "F-0007", "F-0008",
				"F-0009", "F-0010");
	}

	@Test
	void frequencyCapHoldsTheSecondMessageAndReleasesItOnceThePeriodIsOver() throws Exception {
		fixture.accounts("C", 5, "roku");
		fixture.jdbc.update("update accounts set segment = 'both' where account_id = 'C-0001'");
		fixture.jdbc.update("insert into accounts select 'D-0001', 'c-0001@example.com', name, plan, currency,"
				+ " monthly_fee, locale, 'other' from accounts where account_id = 'C-0001'");
		Path first = fixture.spec("cap-a", "both", null);
		Path second = fixture.write("cap-b.yml", Files_read(fixture.spec("cap-b", "roku", null))
			.replace("where segment = 'roku'", "where segment in ('roku', 'both')"));
		assertThat(makegood.run("run", first.toString())).isZero();
		assertThat(makegood.run("run", second.toString())).isZero();

		assertThat(messagesTo("c-0001@example.com")).isEqualTo(1);
		assertThat(smtp.getReceivedMessages()).hasSize(5);
		assertThat(status("cap-b", "C-0001")).isEqualTo("CAPPED");
		assertThat(fixture.count("select count(*) from mg_credit where incident_id = 'cap-b' and account_id = 'C-0001'"))
			.isOne();

		assertThat(makegood.run("release-capped")).isZero();
		assertThat(status("cap-b", "C-0001")).isEqualTo("CAPPED");
		assertThat(messagesTo("c-0001@example.com")).isEqualTo(1);

		// a day later
		fixture.jdbc.update("update mg_outbox set sent_at = sent_at - interval '25' hour where incident_id = 'cap-a'");
		assertThat(makegood.run("release-capped")).isZero();
		assertThat(status("cap-b", "C-0001")).isEqualTo("SENT");
		assertThat(messagesTo("c-0001@example.com")).isEqualTo(2);
		assertThat(makegood.run("release-capped")).isZero();
		assertThat(smtp.getReceivedMessages()).hasSize(6);
	}

	@Test
	void testSendDeliversOnlyToTheTestAddressAndWritesNothing() throws Exception {
		fixture.accounts("S", 20, "roku");
		Path spec = fixture.spec("test-send", "roku", null);
		assertThat(makegood.run("run", spec.toString(), "--test-to", "ops@example.com,lead@example.com",
				"--test-count", "3")).isZero();
		assertThat(smtp.getReceivedMessages()).hasSize(3);
		for (MimeMessage message : smtp.getReceivedMessages()) {
			assertThat(message.getSubject()).startsWith("[TEST]");
			assertThat(((jakarta.mail.internet.InternetAddress) message.getAllRecipients()[0]).getAddress())
				.isIn("ops@example.com", "lead@example.com");
		}
		assertThat(smtp.getReceivedMessagesForDomain("ops@example.com")).hasSize(2);
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_incident")).isZero();
		assertThat(makegood.run("run", spec.toString(), "--test-to", "ops@example.com", "--test-count", "abc"))
			.as("bad input").isEqualTo(ExitCodes.INVALID);
		assertThat(smtp.getReceivedMessages()).hasSize(3);
	}

	private String planHash(Path spec) throws Exception {
		Path out = dir.resolve("preview-" + System.nanoTime());
		assertThat(makegood.run("preview", spec.toString(), "--out", out.toString())).isZero();
		return JsonMapper.builder().build().readTree(Files.readString(out.resolve("preview.json"))).get("planHash")
			.asString();
	}

	private List<String> audience(String incident) {
		return fixture.jdbc.queryForList("select account_id from mg_audience where incident_id = ? order by account_id",
				String.class, incident);
	}

	private String status(String incident, String account) {
		return fixture.jdbc.queryForObject("select status from mg_outbox where incident_id = ? and account_id = ?",
				String.class, incident, account);
	}

	private long messagesTo(String address) throws Exception {
		long n = 0;
		for (MimeMessage message : smtp.getReceivedMessages()) {
			if (message.getAllRecipients()[0].toString().contains(address)) {
				n++;
			}
		}
		return n;
	}

	private static String Files_read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
