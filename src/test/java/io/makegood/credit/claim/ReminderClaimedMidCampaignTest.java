package io.makegood.credit.claim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient who claims while a reminder campaign is under way: queued, and still claimable when delivery
 * started, but claimed before the reminder is rendered. The claim is made by the mail server itself, while it
 * takes the reminder before it, so the order is certain: one lane, a rate low enough that the lane renders one
 * reminder at a time.
 */
class ReminderClaimedMidCampaignTest {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

	static final Instant NIGHT = T0.plus(Duration.ofDays(5)).plus(Duration.ofHours(14));

	@TempDir
	Path work;

	@Test
	void aReminderWhoseCreditWasClaimedBeforeItWasRenderedIsSuppressedAndNeverReachesTheServer() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		JdbcTemplate jdbc = database.jdbc();
		Makegood makegood = Makegood.on(database, work)
			.smtp(greenMail.getSmtp().getPort())
			.with("--makegood.public-base-url=https://care.example.com");
		Path spec = ClaimScenario.incident(work, "week", "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"R1,r1@example.org", "R2,r2@example.org", "R3,r3@example.org");
		assertThat(makegood.run("run", spec.toString(), "--makegood.clock-start=" + T0)).isZero();
		MimeMessage[] first = greenMail.getReceivedMessages();
		String r2Token = ClaimScenario.tokenOf(ClaimScenario.link(ClaimScenario.messageTo(first, "r2@example.org")));
		greenMail.purgeEmailFromAllMailboxes();

		ClaimService customer = new ClaimService(jdbc, Clock.fixed(NIGHT, ZoneOffset.UTC), (incident, account) -> {
		});
		AtomicBoolean claimedMidCampaign = new AtomicBoolean();
		UserManager mailboxes = greenMail.getUserManager();
		MessageDeliveryHandler deliver = mailboxes.getMessageDeliveryHandler();
		mailboxes.setMessageDeliveryHandler((message, address) -> {
			// R2 follows the link of the first message while R1's reminder is being delivered, before "250 OK"
			if (address.getEmail().equals("r1@example.org")) {
				claimedMidCampaign.set(customer.claim(r2Token).appliedNow());
			}
			return deliver.handle(message, address);
		});

		makegood.with("--makegood.delivery.connections=1", "--makegood.delivery.rate=5");
		assertThat(makegood.run("nightly", "--makegood.clock-start=" + NIGHT)).isZero();

		assertThat(claimedMidCampaign).as("R2 claimed while the campaign was sending").isTrue();
		assertThat(recipients(greenMail.getReceivedMessages())).containsExactly("r1@example.org", "r3@example.org");
		// R2's one attempt: withdrawn as it was rendered, not when delivery started (that withdrawal claims nothing)
		assertThat(reminderRows(jdbc)).containsExactlyEntriesOf(new TreeMap<>(Map.of("R1", "SENT/null/1",
				"R2", "SUPPRESSED/nothing left to claim/1", "R3", "SENT/null/1")));
		JsonNode report = JsonMapper.builder()
			.build()
			.readTree(Files.readString(work.resolve("reports").resolve("week:reminder").resolve("report.json")));
		assertThat(report.get("messagesByStatus").get("SUPPRESSED").asLong()).isOne();
		assertThat(report.get("messagesByStatus").get("SENT").asLong()).isEqualTo(2);

		assertThat(makegood.run("nightly", "--makegood.clock-start=" + NIGHT)).as("second run the same night").isZero();
		assertThat(greenMail.getReceivedMessages()).hasSize(2);
	}

	private static Map<String, String> reminderRows(JdbcTemplate jdbc) {
		Map<String, String> rows = new TreeMap<>();
		jdbc.query("select account_id, status, last_error, attempts from mg_outbox where incident_id = 'week:reminder'",
				rs -> {
					rows.put(rs.getString(1), rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getInt(4));
				});
		return rows;
	}

	private static String[] recipients(MimeMessage[] messages) {
		return Arrays.stream(messages).map(m -> {
			try {
				return ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).sorted().toArray(String[]::new);
	}

}
