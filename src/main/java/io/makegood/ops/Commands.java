package io.makegood.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.makegood.credit.CreditExport;
import io.makegood.credit.CreditStatus;
import io.makegood.incident.IncidentRepository;
import io.makegood.incident.IncidentSpec;
import io.makegood.incident.IncidentSpecParser;
import io.makegood.incident.InvalidSpecException;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;

/** The CLI's commands. Each returns a process exit code (see {@link ExitCodes}). */
public class Commands {

	private final IncidentSpecParser parser;

	private final SpecPreflight preflight;

	private final IncidentRunner runner;

	private final IncidentRepository repository;

	private final IncidentReports reports;

	private final CreditExport creditExport;

	private final JobRepository jobRepository;

	private final DemoData demoData;

	private final OutboxRepository outbox;

	private final Clock clock;

	private final ClaimCommands claims;

	private final SafetyCommands safety;

	private final PrintStream out = System.out;

	private final PrintStream err = System.err;

	public Commands(IncidentSpecParser parser, SpecPreflight preflight, IncidentRunner runner,
			IncidentRepository repository, IncidentReports reports, CreditExport creditExport,
			JobRepository jobRepository, DemoData demoData, OutboxRepository outbox, Clock clock,
			ClaimCommands claims, SafetyCommands safety) {
		this.parser = parser;
		this.preflight = preflight;
		this.runner = runner;
		this.repository = repository;
		this.reports = reports;
		this.creditExport = creditExport;
		this.jobRepository = jobRepository;
		this.demoData = demoData;
		this.outbox = outbox;
		this.clock = clock;
		this.claims = claims;
		this.safety = safety;
	}

	public int execute(CommandLine command) {
		try {
			return switch (command.command()) {
				case "run" -> run(command);
				case "preview" -> preview(command);
				case "stop" -> safety.stop(command.argument(0, "incident-id"),
						!command.options().containsKey("no-wait"));
				case "release-capped" -> releaseCapped();
				case "status" -> status(command.arguments().isEmpty() ? null : command.arguments().get(0));
				case "export-credits" -> exportCredits(command.argument(0, "incident-id"), command.options().get("out"));
				case "resolve" -> resolve(command.argument(0, "incident-id"), command.options());
				case "deliver" -> deliver(command.argument(0, "incident-id"));
				case "demo" -> demo();
				case "nightly" -> claims.nightly();
				case "revoke" -> claims.revoke(command.argument(0, "incident-id"), command.options().get("account"));
				default -> throw new CommandLine.UsageException("Unknown command " + command.command());
			};
		}
		catch (CommandLine.UsageException ex) {
			err.println(ex.getMessage());
			err.print(CommandLine.usage());
			return ExitCodes.INVALID;
		}
	}

	private int run(CommandLine command) {
		Path specFile = Path.of(command.argument(0, "spec.yml"));
		String testTo = command.options().get("test-to");
		String approve = command.options().get("approve");
		if (testTo == null && approve == null) {
			return run(specFile);
		}
		IncidentSpec spec = checkedSpec(specFile);
		if (spec == null) {
			return ExitCodes.INVALID;
		}
		if (testTo != null) {
			return safety.testSend(spec, testTo, command.options().get("test-count"));
		}
		if (approve.isBlank() || approve.equals("true")) {
			throw new CommandLine.UsageException("run: --approve needs the plan hash printed by preview");
		}
		safety.approve(spec.id(), approve);
		return run(specFile);
	}

	private int preview(CommandLine command) {
		IncidentSpec spec = checkedSpec(Path.of(command.argument(0, "spec.yml")));
		if (spec == null) {
			return ExitCodes.INVALID;
		}
		try {
			return safety.preview(spec, command.options().get("out"));
		}
		catch (RuntimeException ex) {
			err.println("Preview of " + spec.id() + " failed: " + ex.getMessage());
			return ExitCodes.FAILED;
		}
	}

	private int releaseCapped() {
		try {
			return safety.releaseCapped();
		}
		catch (Exception ex) {
			err.println("Release of held messages failed: " + ex.getMessage() + ". Run it again.");
			return ExitCodes.FAILED;
		}
	}

	/** The parsed and preflighted spec, or null after printing why it is invalid. */
	private IncidentSpec checkedSpec(Path specFile) {
		try {
			IncidentSpec spec = parser.parse(specFile);
			preflight.check(spec);
			return spec;
		}
		catch (InvalidSpecException ex) {
			err.println("Invalid spec " + specFile + " (nothing was written):");
			err.println(ex.getMessage());
			return null;
		}
	}

	int run(Path specFile) {
		IncidentSpec spec;
		try {
			spec = parser.parse(specFile);
			preflight.check(spec);
		}
		catch (InvalidSpecException ex) {
			err.println("Invalid spec " + specFile + " (nothing was written):");
			err.println(ex.getMessage());
			return ExitCodes.INVALID;
		}
		try {
			// an operator's run is what ends the hold a stop put on the incident
			repository.release(spec.id());
			IncidentRunner.Outcome outcome = runner.run(spec);
			if (outcome.execution() != null) {
				out.print(ReportText.render(reports.build(spec.id(), statusOf(outcome.execution()))));
			}
			(outcome.exitCode() == ExitCodes.DONE ? out : err).println(outcome.summary());
			return outcome.exitCode();
		}
		catch (Exception ex) {
			err.println("Run of " + spec.id() + " failed: " + ex.getMessage() + ". Run it again to resume.");
			return ExitCodes.FAILED;
		}
	}

	int status(String incidentId) {
		List<String> ids = incidentId == null ? repository.ids() : List.of(incidentId);
		if (incidentId != null && repository.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		if (ids.isEmpty()) {
			out.println("No incidents yet. Start one with: ./makegood run <spec.yml>");
		}
		for (String id : ids) {
			out.print(ReportText.render(reports.build(id, jobStatus(id))));
		}
		return ExitCodes.DONE;
	}

	int exportCredits(String incidentId, String outFile) {
		if (repository.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		EnumSet<CreditStatus> billable = EnumSet.of(CreditStatus.APPLIED, CreditStatus.CLAIMED);
		try {
			if (outFile == null) {
				Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
				creditExport.export(incidentId, writer, billable);
				writer.flush();
			}
			else {
				// billing may pick the file up at any moment: it appears complete or not at all
				long rows = creditExport.export(incidentId, Path.of(outFile), billable);
				err.println(rows + " credit(s) of " + incidentId + " written to " + outFile);
			}
			return ExitCodes.DONE;
		}
		catch (IOException ex) {
			err.println("Cannot write " + outFile + ": " + ex.getMessage());
			return ExitCodes.FAILED;
		}
	}

	int resolve(String incidentId, Map<String, String> options) {
		boolean resend = options.containsKey("resend");
		boolean markSent = options.containsKey("mark-sent");
		if (resend == markSent) {
			throw new CommandLine.UsageException("resolve: give exactly one of --resend or --mark-sent");
		}
		if (repository.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		int changed = outbox.resolveInDoubt(incidentId, resend, clock.instant());
		String what = changed + " message(s) in doubt " + (resend ? "released to be sent again" : "marked SENT");
		repository.recordEvent(incidentId, resend ? "RESOLVED_RESEND" : "RESOLVED_MARK_SENT", what + " by operator");
		out.println(what + ".");
		return resend && changed > 0 ? deliver(incidentId) : ExitCodes.DONE;
	}

	int deliver(String incidentId) {
		if (repository.find(incidentId).isEmpty()) {
			err.println("Unknown incident " + incidentId);
			return ExitCodes.INVALID;
		}
		try {
			repository.release(incidentId);
			IncidentRunner.Outcome outcome = runner.deliver(incidentId);
			if (outcome.execution() != null) {
				out.print(ReportText.render(reports.build(incidentId, statusOf(outcome.execution()))));
			}
			(outcome.exitCode() == ExitCodes.DONE ? out : err).println(outcome.summary());
			return outcome.exitCode();
		}
		catch (Exception ex) {
			err.println("Delivery of " + incidentId + " failed: " + ex.getMessage() + ". Run it again to resume.");
			return ExitCodes.FAILED;
		}
	}

	int demo() {
		DemoData.Summary summary = demoData.ensure();
		out.println("Demo data: " + summary.accounts() + " accounts, " + summary.failures()
				+ " failed playbacks in the embedded database");
		int code = run(DemoData.SPEC);
		out.println();
		out.println("Messages are in " + demoData.pickupDirectory().toAbsolutePath().normalize()
				+ " (one .eml per account); try ./makegood status, or run the demo again: nothing is sent twice.");
		return code;
	}

	private String jobStatus(String incidentId) {
		JobInstance instance = jobRepository.getJobInstance("recovery", IncidentRunner.parameters(incidentId));
		if (instance == null) {
			return "NOT STARTED";
		}
		JobExecution last = jobRepository.getLastJobExecution(instance);
		return last == null ? "NOT STARTED" : statusOf(last);
	}

	private static String statusOf(JobExecution execution) {
		return execution.getStatus().name();
	}

}
