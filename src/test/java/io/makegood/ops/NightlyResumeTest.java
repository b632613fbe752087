package io.makegood.ops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.makegood.support.CsvIncident;
import io.makegood.support.IncidentState;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Incidents whose runs left a message for a retry, resumed by {@code nightly} or {@code deliver}: one whose
 * audience CSV was deleted once the audience was frozen (delivered as usual), and one whose stored spec no
 * longer validates (named, exit 1, and nothing else waits for it).
 */
class NightlyResumeTest {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@TempDir
	Path work;

	private HttpServer billing;

	private final AtomicInteger billed = new AtomicInteger();

	@AfterEach
	void stopBilling() {
		if (billing != null) {
			billing.stop(0);
		}
	}

	@Test
	void anIncidentThatCannotBeResumedIsNamedWhileTheOthersAndBillingStillRun() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		Makegood makegood = makegood(database);
		// created in this order, so the broken one is resumed first and the others prove the night went on
		CsvIncident broken = incident("a-broken", "a");
		CsvIncident csvDeleted = incident("b-csv-deleted", "b");
		CsvIncident healthy = incident("c-healthy", "c");
		for (CsvIncident incident : List.of(broken, csvDeleted, healthy)) {
			assertThat(makegood.run("run", incident.spec().toString())).isEqualTo(ExitCodes.DONE);
			leaveForRetry(database, incident.id(), "A-00001");
		}
		Files.delete(csvOf(csvDeleted));
		// as after an upgrade whose parser is stricter than the one that registered the spec
		database.jdbc().update("update mg_incident set spec_text = replace(spec_text, 'percent: 3', 'percent: lots')"
				+ " where id = ?", broken.id());
		smtp.purgeEmailFromAllMailboxes();

		Output nightly = run(makegood, "nightly", "--makegood.billing.webhook-url=" + startBilling());

		assertThat(nightly.exitCode()).as(nightly.text()).isEqualTo(ExitCodes.FAILED);
		assertThat(recipients(smtp.getReceivedMessages())).containsExactlyInAnyOrder("b1@example.org",
				"c1@example.org");
		assertThat(new IncidentState(database, csvDeleted.id()).outboxByStatus()).containsExactly(entry("SENT", 2L));
		assertThat(new IncidentState(database, healthy.id()).outboxByStatus()).containsExactly(entry("SENT", 2L));
		assertThat(new IncidentState(database, broken.id()).outboxByStatus()).containsEntry("RETRY", 1L);
		assertThat(billed).as("billing still ran, for every incident's credits").hasValue(6);
		assertThat(nightly.text()).contains("""
				nightly: 1 incident(s) or campaign(s) left unfinished; everything else due was done:
				  incident a-broken: Could not resume incident a-broken: compensation.percent: \
				""")
			.doesNotContain("b-csv-deleted:", "c-healthy:")
			.doesNotContain("@example.org");
	}

	@Test
	void anIncidentWhoseCsvWasDeletedAfterTheSnapshotIsStillDeliveredButNotPreviewed() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		Makegood makegood = makegood(database);
		CsvIncident incident = incident("csv-deleted", "d");
		assertThat(makegood.run("run", incident.spec().toString())).isEqualTo(ExitCodes.DONE);
		leaveForRetry(database, incident.id(), "A-00002");
		Files.delete(csvOf(incident));
		smtp.purgeEmailFromAllMailboxes();

		Output deliver = run(makegood, "deliver", incident.id());

		assertThat(deliver.exitCode()).as(deliver.text()).isEqualTo(ExitCodes.DONE);
		assertThat(recipients(smtp.getReceivedMessages())).containsExactly("d2@example.org");
		assertThat(new IncidentState(database, incident.id()).outboxByStatus()).containsExactly(entry("SENT", 2L));
		assertThat(run(makegood, "preview", incident.spec().toString()).exitCode())
			.as("a spec read from its file still needs its audience").isEqualTo(ExitCodes.INVALID);
	}

	private Makegood makegood(TestDatabases.Database database) {
		// every incident mails the same account ids; the cap would hold all but the first incident's messages
		return Makegood.on(database, work).smtp(smtp.getSmtp().getPort()).with("--makegood.frequency-cap.messages=0");
	}

	private CsvIncident incident(String id, String prefix) {
		return CsvIncident.write(work.resolve("jobs"), id, List.of(prefix + "1@example.org", prefix + "2@example.org"),
				"");
	}

	private static Path csvOf(CsvIncident incident) {
		return incident.spec().resolveSibling(incident.id() + "-accounts.csv");
	}

	/** As a 4xx from the relay leaves it: RETRY, due again now. */
	private static void leaveForRetry(TestDatabases.Database database, String incidentId, String accountId) {
		int updated = database.jdbc().update("""
				update mg_outbox set status = 'RETRY', attempts = 1, sent_at = null, next_attempt_at = ?,
				  last_error = '421 try again later'
				where incident_id = ? and account_id = ?""", Timestamp.from(Instant.now().minus(Duration.ofMinutes(5))),
				incidentId, accountId);
		assertThat(updated).isOne();
	}

	private String startBilling() throws IOException {
		billing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		billing.createContext("/credits", exchange -> {
			exchange.getRequestBody().readAllBytes();
			billed.incrementAndGet();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		billing.start();
		return "http://127.0.0.1:" + billing.getAddress().getPort() + "/credits";
	}

	private static List<String> recipients(MimeMessage[] messages) throws Exception {
		return Arrays.stream(messages).map(message -> {
			try {
				return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	record Output(int exitCode, String text) {
	}

	/** Runs a command, capturing what it prints (each command's context takes System.out and System.err anew). */
	private static Output run(Makegood makegood, String... command) {
		PrintStream out = System.out;
		PrintStream err = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
		int code;
		System.setOut(both);
		System.setErr(both);
		try {
			code = makegood.run(command);
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
		String text = captured.toString(StandardCharsets.UTF_8);
		out.print(text);
		return new Output(code, text);
	}

}
