package io.makegood.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
 * A scheduler fires twice: while the packaged application is running an incident, a second {@code run} of the
 * same spec must decline (exit 5) without touching anything, and the first run still sends exactly one message
 * per account.
 */
class ConcurrentRunIT {

	private static final int ACCOUNTS = 600;

	private final Path workDir = Path.of("target", "it-restart", "concurrent-" + System.nanoTime());

	private final RecordingSmtpServer smtp = RecordingSmtpServer.start();

	@AfterEach
	void stopServer() {
		smtp.close();
	}

	@Test
	void aSecondRunOfAnIncidentThatIsRunningIsBusyAndSendsNothing() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		CsvIncident incident = CsvIncident.write(workDir.resolve("jobs"), "double-trigger-1", ACCOUNTS);
		IncidentState state = new IncidentState(database, incident.id());
		String spec = incident.spec().toAbsolutePath().toString();
		// the first run stays in the middle of its campaign until released, however slow this machine is
		smtp.holdAfter(50);

		try (PackagedMakegood.Child first = PackagedMakegood.on(database, workDir)
			.smtp(smtp.port())
			.with("--makegood.delivery.connections=4", "--makegood.delivery.rate=200",
					"--spring.mail.properties.mail.smtp.timeout=300000")
			.start("first-run", "run", spec)) {
			boolean underWay = smtp.awaitHeld(1, Duration.ofMinutes(3));
			assertThat(underWay && first.isAlive()).as("the first run is delivering; its log:%n%s", first.output())
				.isTrue();
			Thread.sleep(500); // lets any message that slipped past the hold finish
			int acceptedBefore = smtp.accepted();

			int second = Makegood.on(database, workDir).smtp(smtp.port()).run("run", spec);

			assertThat(second).isEqualTo(ExitCodes.BUSY);
			assertThat(first.isAlive()).as("the first run held the incident throughout").isTrue();
			assertThat(smtp.accepted()).as("the busy run sent nothing").isEqualTo(acceptedBefore);
			assertThat(state.jobExecutionStatuses()).as("the busy run started no execution").containsExactly("STARTED");
			assertThat(state.runLockPid()).contains(first.pid());

			smtp.release();
			assertThat(first.waitFor(300)).as("first run; its log:%n%s", first.output()).isEqualTo(ExitCodes.DONE);
		}

		assertThat(state.jobExecutionStatuses()).containsExactly("COMPLETED");
		Map<String, Integer> received = smtp.acceptedPerRecipient();
		assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(incident.recipients());
		assertThat(received.values()).containsOnly(1);
		assertThat(state.outboxByStatus()).containsExactly(Map.entry("SENT", (long) ACCOUNTS));
		assertThat(state.creditsPerAccount().keySet()).containsExactlyInAnyOrderElementsOf(incident.accountIds());
		assertThat(state.creditsPerAccount().values()).containsOnly(1L);
		assertThat(state.runLockPid()).isEmpty();
	}

}
