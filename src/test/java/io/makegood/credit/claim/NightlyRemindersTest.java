package io.makegood.credit.claim;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.icegreen.greenmail.junit5.GreenMailExtension;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code makegood nightly} on PostgreSQL with a staged clock (makegood.clock-start): three incidents granted at
 * T0 whose credits last 3, 7 and 30 days; some claimed, one revoked; nights at T0+5d (twice) and T0+8d.
 */
class NightlyRemindersTest {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

	@TempDir
	Path work;

	@Test
	void remindsOnlyUnclaimedUnexpiredNotYetRemindedHoldersOnceAndExpiresExactlyTheExpired() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		JdbcTemplate jdbc = database.jdbc();
		Makegood makegood = Makegood.on(database, work)
			.smtp(greenMail.getSmtp().getPort())
			.with("--makegood.public-base-url=https://care.example.com");
		Path week = ClaimScenario.incident(work, "week", "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"W1,w1@example.org", "W2,w2@example.org", "W3,w3@example.org", "W4,w4@example.org");
		Path shortLived = ClaimScenario.incident(work, "short", "complimentary-rental", """
				kind: complimentary
				item: one movie rental
				apply: claim-link
				expires: P3D""", "S1,s1@example.org", "S2,s2@example.org", "S3,s3@example.org");
		Path month = ClaimScenario.incident(work, "month", "streaming-outage", """
				kind: fixed
				amount: 5
				apply: claim-link
				expires: P30D""", "M1,m1@example.org");
		for (Path spec : List.of(week, shortLived, month)) {
			assertThat(makegood.run("run", spec.toString(), "--makegood.clock-start=" + T0)).isZero();
		}
		MimeMessage[] first = greenMail.getReceivedMessages();
		assertThat(first).hasSize(8);
		assertThat(ClaimScenario.text(ClaimScenario.messageTo(first, "s1@example.org"))).contains("one movie rental");

		ClaimService dayOne = new ClaimService(jdbc, Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC),
				(incident, account) -> {
				});
		assertThat(dayOne.claim(token(first, "w1@example.org")).appliedNow()).isTrue();
		assertThat(dayOne.claim(token(first, "s3@example.org")).appliedNow()).isTrue();
		assertThat(makegood.run("revoke", "week", "--account", "W2", "--makegood.clock-start=" + T0.plus(Duration.ofDays(1))))
			.isZero();
		greenMail.purgeEmailFromAllMailboxes();

		String night5 = "--makegood.clock-start=" + T0.plus(Duration.ofDays(5)).plus(Duration.ofHours(14));
		assertThat(makegood.run("nightly", night5)).isZero();

		assertThat(statuses(jdbc)).containsExactlyEntriesOf(new TreeMap<>(Map.of("month/M1", "CLAIMABLE",
				"short/S1", "EXPIRED", "short/S2", "EXPIRED", "short/S3", "CLAIMED", "week/W1", "CLAIMED", "week/W2",
				"REVOKED", "week/W3", "CLAIMABLE", "week/W4", "CLAIMABLE")));
		MimeMessage[] reminders = greenMail.getReceivedMessages();
		assertThat(recipients(reminders)).containsExactlyInAnyOrder("w3@example.org", "w4@example.org");
		MimeMessage toW3 = ClaimScenario.messageTo(reminders, "w3@example.org");
		assertThat(toW3.getSubject()).startsWith("Reminder");
		String reminderToken = ClaimScenario.tokenOf(ClaimScenario.link(toW3));
		String firstToken = token(first, "w3@example.org");
		assertThat(reminderToken).isNotEqualTo(firstToken);
		ClaimService night = new ClaimService(jdbc, Clock.fixed(T0.plus(Duration.ofDays(5)), ZoneOffset.UTC),
				(incident, account) -> {
				});
		assertThat(night.look(firstToken).state()).as("the first message's link still works")
			.isEqualTo(ClaimService.State.CLAIMABLE);
		assertThat(night.look(reminderToken).accountId()).isEqualTo("W3");
		assertThat(jdbc.queryForObject("select count(*) from mg_outbox where incident_id = 'week:reminder' and status = 'SENT'",
				Integer.class)).isEqualTo(2);
		assertThat(jdbc.queryForList("select kind from mg_incident_event where incident_id = 'short'", String.class))
			.containsExactly("CREDITS_EXPIRED");

		assertThat(makegood.run("nightly", night5)).as("second run the same night").isZero();
		assertThat(greenMail.getReceivedMessages()).hasSize(2);

		assertThat(makegood.run("nightly", "--makegood.clock-start=" + T0.plus(Duration.ofDays(8)))).isZero();
		assertThat(greenMail.getReceivedMessages()).as("reminded once, never again").hasSize(2);
		Map<String, String> after = statuses(jdbc);
		assertThat(after).containsEntry("week/W3", "EXPIRED").containsEntry("week/W4", "EXPIRED")
			.containsEntry("week/W1", "CLAIMED").containsEntry("week/W2", "REVOKED")
			.containsEntry("month/M1", "CLAIMABLE");

		// what the incident still costs: the one claimed credit; expired and revoked ones are worth nothing
		BigDecimal claimed = jdbc.queryForObject(
				"select amount from mg_credit where incident_id = 'week' and account_id = 'W1'", BigDecimal.class);
		assertThat(printed(() -> makegood.run("status", "week"))).contains(
				"credits:   CLAIMED 1, EXPIRED 2, REVOKED 1; total " + claimed.stripTrailingZeros().toPlainString()
						+ " USD\n");
	}

	/** What a command printed on standard output (each command builds its context, and takes System.out, anew). */
	private static String printed(Runnable command) {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			command.run();
		}
		finally {
			System.setOut(original);
		}
		return captured.toString(StandardCharsets.UTF_8);
	}

	private static String token(MimeMessage[] messages, String address) {
		return ClaimScenario.tokenOf(ClaimScenario.link(ClaimScenario.messageTo(messages, address)));
	}

	private static List<String> recipients(MimeMessage[] messages) {
		return Arrays.stream(messages).map(m -> {
			try {
				return ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	private static Map<String, String> statuses(JdbcTemplate jdbc) {
		Map<String, String> statuses = new TreeMap<>();
		jdbc.query("select incident_id, account_id, status from mg_credit", rs -> {
			statuses.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
		});
		return statuses;
	}

}
