package io.makegood.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.makegood.support.CsvIncident;
import io.makegood.support.IncidentState;
import io.makegood.support.Makegood;
import io.makegood.support.PackagedMakegood;
import io.makegood.support.RecordingSmtpServer;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application is killed with SIGKILL in the middle of a throttled campaign. Running the same spec
 * again must recover the dead execution and finish it: nobody gets two messages, the few messages that were in
 * flight at the kill are held IN_DOUBT rather than resent, and every account keeps exactly one credit.
 */
class RestartAfterKillIT {

	private static final int ACCOUNTS = 1500;

	private static final int CONNECTIONS = 4;

	private final Path workDir = Path.of("target", "it-restart", "kill-" + System.nanoTime());

	private final RecordingSmtpServer smtp = RecordingSmtpServer.start();

	@AfterEach
	void stopServer() {
		smtp.close();
	}

	@Test
	void aRunKilledWithSigkillIsRecoveredAndFinishedWithoutResendingAnything() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		CsvIncident incident = CsvIncident.write(workDir.resolve("jobs"), "kill-9-1", ACCOUNTS);
		IncidentState state = new IncidentState(database, incident.id());
		String spec = incident.spec().toAbsolutePath().toString();

		// Mid-chunk, each connection holds one claimed row whose message the server has read but not yet answered:
		// the kill lands exactly when the outcome of those messages is unknowable to the sender.
		smtp.holdAfter(130);
		try (PackagedMakegood.Child child = PackagedMakegood.on(database, workDir)
			.smtp(smtp.port())
			.with("--makegood.delivery.connections=" + CONNECTIONS, "--makegood.delivery.rate=200")
			.start("killed-run", "run", spec)) {
			boolean inFlight = smtp.awaitHeld(CONNECTIONS, Duration.ofMinutes(3));
			assertThat(inFlight && child.isAlive()).as("the child is delivering; its log:%n%s", child.output())
				.isTrue();
			child.kill();

			assertThat(state.jobExecutionStatuses()).as("nobody told the job repository").containsExactly("STARTED");
			assertThat(state.runLockPid()).as("the dead process still holds the run lock").contains(child.pid());
			assertThat(state.outboxByStatus().get("SENDING"))
				.as("each connection's claimed batch: the message in hand, those before it and those after it")
				.isGreaterThan(CONNECTIONS);
		}
		// the relay queues the messages it had read in full: they were delivered, though the sender never knew
		smtp.releaseAndAwait(Duration.ofSeconds(10));
		assertThat(smtp.accepted()).as("killed in the middle of the campaign").isLessThan(ACCOUNTS);

		int rerun = Makegood.on(database, workDir)
			.smtp(smtp.port())
			.with("--makegood.delivery.connections=" + CONNECTIONS)
			.run("run", spec);

		assertThat(rerun).as("%s", state.stepExecutions()).isEqualTo(ExitCodes.DONE);
		assertThat(state.jobExecutionStatuses()).hasSize(2).first().isNotEqualTo("STARTED");
		assertThat(state.jobExecutionStatuses()).last().isEqualTo("COMPLETED");
		assertThat(state.runLockPid()).as("the lock is released").isEmpty();

		Map<String, Integer> received = smtp.acceptedPerRecipient();
		Map<String, String> outbox = state.outboxStatusByRecipient();
		assertThat(received.values()).as("messages per recipient across both runs").containsOnly(1);
		assertThat(outbox.keySet()).containsExactlyInAnyOrderElementsOf(incident.recipients());
		assertThat(outbox.values()).isSubsetOf("SENT", "IN_DOUBT");
		Set<String> sent = recipientsIn(outbox, "SENT");
		Set<String> inDoubt = recipientsIn(outbox, "IN_DOUBT");
		assertThat(inDoubt).as("in flight at the kill, never resent; the rest of the batches told by the journals")
			.hasSize(CONNECTIONS);
		assertThat(sent.size() + inDoubt.size()).isEqualTo(ACCOUNTS);
		assertThat(received.keySet()).as("every SENT row reached the server").containsAll(sent);
		Set<String> inDoubtNotReceived = new TreeSet<>(inDoubt);
		inDoubtNotReceived.removeAll(received.keySet());
		assertThat(received.size() + inDoubtNotReceived.size()).isEqualTo(ACCOUNTS);
		assertThat(smtp.accepted()).isEqualTo(received.size());

		assertThat(state.creditsPerAccount().keySet()).containsExactlyInAnyOrderElementsOf(incident.accountIds());
		assertThat(state.creditsPerAccount().values()).containsOnly(1L);
		Path report = workDir.resolve("reports").resolve(incident.id());
		assertThat(report.resolve("report.json")).isRegularFile();
		assertThat(report.resolve("accounts.csv")).isRegularFile();
		assertThat(report.resolve("report.txt")).content().contains("IN_DOUBT " + CONNECTIONS);
	}

	private static Set<String> recipientsIn(Map<String, String> outbox, String status) {
		Set<String> recipients = new TreeSet<>();
		outbox.forEach((recipient, rowStatus) -> {
			if (rowStatus.equals(status)) {
				recipients.add(recipient);
			}
		});
		return recipients;
	}

}
