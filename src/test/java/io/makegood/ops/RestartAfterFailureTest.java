package io.makegood.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.makegood.support.CsvIncident;
import io.makegood.support.IncidentState;
import io.makegood.support.Makegood;
import io.makegood.support.RecordingSmtpServer;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay goes out of order in the middle of a campaign: the run must fail without losing or doubling
 * anything, and running the same spec again once the relay is repaired must finish the job, each customer having
 * received exactly one message and one credit across both runs.
 */
class RestartAfterFailureTest {

	private static final int ACCOUNTS = 450;

	private static final int ACCEPTED_BEFORE_OUTAGE = 200;

	@TempDir
	Path workDir;

	private final RecordingSmtpServer smtp = RecordingSmtpServer.start();

	@AfterEach
	void stopServer() {
		smtp.close();
	}

	@Test
	void aRunThatFailedOnAnOutOfOrderRelayIsResumedByRunningItAgain() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		CsvIncident incident = CsvIncident.write(workDir.resolve("jobs"), "relay-outage-1", ACCOUNTS);
		IncidentState state = new IncidentState(database, incident.id());
		Makegood makegood = Makegood.on(database, workDir)
			.smtp(smtp.port())
			.with("--makegood.delivery.retry-delay=10ms", "--makegood.delivery.connections=4");
		smtp.failAfter(ACCEPTED_BEFORE_OUTAGE);

		int firstRun = makegood.run("run", incident.spec().toString());

		assertThat(firstRun).isEqualTo(ExitCodes.FAILED);
		assertThat(state.jobExecutionStatuses()).containsExactly("FAILED");
		assertThat(smtp.accepted()).isEqualTo(ACCEPTED_BEFORE_OUTAGE);
		Map<String, Long> afterOutage = state.outboxByStatus();
		assertThat(afterOutage).as("a 421 is transient: nothing may be FAILED or IN_DOUBT")
			.containsOnlyKeys("SENT", "RETRY", "PENDING")
			.containsEntry("SENT", (long) ACCEPTED_BEFORE_OUTAGE);
		assertThat(afterOutage.get("PENDING")).as("the circuit breaker stopped the run before it tried everyone")
			.isPositive();
		assertThat(afterOutage.get("RETRY") + afterOutage.get("PENDING")).isEqualTo(ACCOUNTS - ACCEPTED_BEFORE_OUTAGE);
		assertThat(state.creditRows()).isEqualTo(ACCOUNTS);

		smtp.repair();
		int secondRun = makegood.run("run", incident.spec().toString());

		assertThat(secondRun).as("%s", state.stepExecutions()).isEqualTo(ExitCodes.DONE);
		assertThat(state.jobExecutionStatuses()).containsExactly("FAILED", "COMPLETED");
		assertThat(state.jobInstances()).as("the incident id is the job's identity").isEqualTo(1);
		Map<String, Integer> received = smtp.acceptedPerRecipient();
		assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(incident.recipients());
		assertThat(received.values()).as("messages per recipient across both runs").containsOnly(1);
		assertThat(state.outboxByStatus()).containsExactly(Map.entry("SENT", (long) ACCOUNTS));
		assertThat(state.creditsPerAccount().keySet()).containsExactlyInAnyOrderElementsOf(incident.accountIds());
		assertThat(state.creditsPerAccount().values()).containsOnly(1L);
		assertThat(workDir.resolve("reports").resolve(incident.id()).resolve("report.json")).isRegularFile();

		int thirdRun = makegood.run("run", incident.spec().toString());

		assertThat(thirdRun).as("a completed incident is not run again").isEqualTo(ExitCodes.DONE);
		assertThat(smtp.accepted()).isEqualTo(ACCOUNTS);
		assertThat(state.jobExecutionStatuses()).containsExactly("FAILED", "COMPLETED");
		assertThat(Files.readString(workDir.resolve("reports").resolve(incident.id()).resolve("accounts.csv")))
			.doesNotContain("@example.org");
	}

}
