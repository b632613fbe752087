package io.makegood.ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.makegood.audience.Approvals;
import io.makegood.incident.IncidentRepository;
import io.makegood.incident.IncidentSpec;
import io.makegood.job.RecoveryJobConfiguration;
import io.makegood.outbox.FrequencyCap;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

/**
 * The audience-safety commands: preview, test send, approvals, the kill switch and the release of messages the
 * frequency cap held. {@link Commands} parses the command line and delegates here.
 */
public class SafetyCommands {

	private final AudiencePreview preview;

	private final TestSend testSend;

	private final Approvals approvals;

	private final KillSwitch killSwitch;

	private final FrequencyCap frequencyCap;

	private final IncidentRepository incidents;

	private final IncidentReports reports;

	private final RunLock runLock;

	private final JobOperator jobOperator;

	private final Job releaseCappedJob;

	private final Path reportsDir;

	private final Duration stopWait;

	private final Clock clock;

	private final PrintStream out = System.out;

	private final PrintStream err = System.err;

	public SafetyCommands(AudiencePreview preview, TestSend testSend, Approvals approvals, KillSwitch killSwitch,
			FrequencyCap frequencyCap, IncidentRepository incidents, IncidentReports reports, RunLock runLock,
			JobOperator jobOperator, Job releaseCappedJob, Path reportsDir, Duration stopWait, Clock clock) {
		this.preview = preview;
		this.testSend = testSend;
		this.approvals = approvals;
		this.killSwitch = killSwitch;
		this.frequencyCap = frequencyCap;
		this.incidents = incidents;
		this.reports = reports;
		this.runLock = runLock;
		this.jobOperator = jobOperator;
		this.releaseCappedJob = releaseCappedJob;
		this.reportsDir = reportsDir;
		this.stopWait = stopWait;
		this.clock = clock;
	}

	int preview(IncidentSpec spec, String outDir) {
		Path dir = outDir != null ? Path.of(outDir) : reportsDir.resolve(spec.id()).resolve("preview");
		AudiencePreview.Preview result = preview.preview(spec, dir);
		out.print(AudiencePreview.text(result));
		out.println("  written to: " + dir.toAbsolutePath().normalize() + " (preview.json, preview.html, samples/)");
		return ExitCodes.DONE;
	}

	private static int testCount(String count) {
		try {
			int accounts = Integer.parseInt(count.strip());
			if (accounts > 0) {
				return accounts;
			}
		}
		catch (NumberFormatException ex) {
			// reported below, as any other unusable value
		}
		throw new CommandLine.UsageException("run: --test-count needs a whole number of accounts, at least 1, got '"
				+ count + "'");
	}

	int testSend(IncidentSpec spec, String to, String count) {
		List<String> addresses = Arrays.stream(to.split(",")).map(String::strip).filter(a -> !a.isEmpty()).toList();
		if (addresses.isEmpty() || addresses.stream().anyMatch(a -> !a.contains("@"))) {
			throw new CommandLine.UsageException("run: --test-to needs one or more addresses, separated by commas");
		}
		int accounts = count == null ? addresses.size() : testCount(count);
		TestSend.Result result = testSend.send(spec, addresses, accounts);
		out.println("Test send of " + spec.id() + ": " + result.sent() + " message(s) sent to " + addresses.size()
				+ " test address(es); nothing was credited, queued or recorded for the incident.");
		result.failures().forEach(failure -> err.println("  not sent: " + failure));
		return result.failures().isEmpty() ? ExitCodes.DONE : ExitCodes.FAILED;
	}

	void approve(String incidentId, String planHash) {
		approvals.record(incidentId, planHash, System.getProperty("user.name"));
		incidents.find(incidentId)
			.ifPresent(i -> incidents.recordEvent(incidentId, "APPROVED", "plan " + planHash.strip()));
	}

	int stop(String incidentId, boolean wait) {
		List<Long> executions = killSwitch.requestStop(incidentId);
		if (executions.isEmpty() && incidents.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		// held until an operator runs it again, so the nightly run does not finish what was stopped
		incidents.hold(incidentId);
		if (executions.isEmpty()) {
			out.println("Incident " + incidentId + " is not running. It is held: nightly and release-capped leave it"
					+ " alone until you run or deliver it again.");
			return ExitCodes.DONE;
		}
		incidents.recordEvent(incidentId, "STOP_REQUESTED", "execution(s) " + executions);
		if (!wait) {
			out.println("Stop requested for " + incidentId + "; it halts after its current chunk.");
			return ExitCodes.DONE;
		}
		if (killSwitch.awaitEnd(incidentId, stopWait)) {
			out.println("Incident " + incidentId + " stopped. Run it again to resume.");
			return ExitCodes.DONE;
		}
		err.println("Stop requested for " + incidentId + ", but it is still winding down after " + stopWait);
		return ExitCodes.FAILED;
	}

	/** Sends, for every incident holding CAPPED messages, those the cap allows now. The nightly run calls it. */
	int releaseCapped() throws Exception {
		int code = ExitCodes.DONE;
		List<String> holding = frequencyCap.incidentsHoldingMessages();
		if (holding.isEmpty()) {
			out.println("No message is held by the frequency cap.");
		}
		for (String incidentId : holding) {
			if (incidents.isHeld(incidentId)) {
				out.println(incidentId + ": held since an operator stopped it; run it again to send");
				continue;
			}
			long releasable = frequencyCap.releasable(incidentId);
			if (releasable == 0) {
				out.println(incidentId + ": held messages are still within the cap's period");
				continue;
			}
			if (GracefulShutdown.isRequested()) {
				return ExitCodes.STOPPED;
			}
			try (RunLock.Lease lease = runLock.acquire(incidentId)) {
				JobExecution execution = jobOperator.start(releaseCappedJob, new JobParametersBuilder()
					.addString("incident", incidentId)
					.addString(RecoveryJobConfiguration.RELEASE_PARAMETER, clock.instant().toString())
					.toJobParameters());
				out.print(ReportText.render(reports.build(incidentId, execution.getStatus().name())));
				out.println(incidentId + ": release of " + releasable + " held message(s) " + execution.getStatus());
				if (execution.getStatus().name().equals("STOPPED")) {
					return ExitCodes.STOPPED;
				}
				if (!execution.getStatus().name().equals("COMPLETED")) {
					code = ExitCodes.FAILED;
				}
			}
			catch (RunLock.HeldElsewhereException busy) {
				err.println(busy.getMessage());
				code = code == ExitCodes.DONE ? ExitCodes.BUSY : code;
			}
		}
		return code;
	}

}
