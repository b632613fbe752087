package io.makegood.ops;

import java.util.List;
import java.util.Optional;

import io.makegood.audience.GuardTasklet;
import io.makegood.incident.IncidentRepository;
import io.makegood.incident.IncidentRepository.Registration;
import io.makegood.incident.IncidentSpec;
import io.makegood.outbox.OutboxRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.BeansException;
import org.springframework.core.NestedExceptionUtils;

/**
 * Starts, resumes or declines to rerun the recovery job of one incident. The job instance is identified by
 * the incident id alone (no run-id incrementer), so "run again" always means "resume the same campaign".
 */
public class IncidentRunner {

	private static final Logger log = LoggerFactory.getLogger(IncidentRunner.class);

	public record Outcome(int exitCode, String summary, JobExecution execution) {
	}

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Job recoveryJob;

	private final Job deliveryJob;

	private final RunLock runLock;

	private final IncidentRepository incidents;

	private final OutboxRepository outbox;

	private final KillSwitch killSwitch;

	public IncidentRunner(JobOperator jobOperator, JobRepository jobRepository, Job recoveryJob, Job deliveryJob,
			RunLock runLock, IncidentRepository incidents, OutboxRepository outbox, KillSwitch killSwitch) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.recoveryJob = recoveryJob;
		this.deliveryJob = deliveryJob;
		this.runLock = runLock;
		this.incidents = incidents;
		this.outbox = outbox;
		this.killSwitch = killSwitch;
	}

	public static JobParameters parameters(String incidentId) {
		return new JobParametersBuilder().addString("incident", incidentId).toJobParameters();
	}

	public Outcome run(IncidentSpec spec) throws Exception {
		try (RunLock.Lease lease = runLock.acquire(spec.id())) {
			Registration registration = incidents.register(spec);
			if (!registration.changes().isEmpty()) {
				log.warn("The spec of {} changed since its last run; already granted credits and queued messages are"
						+ " kept as they are. Changes: {}", spec.id(), registration.changes());
			}
			if (GracefulShutdown.isRequested()) {
				return new Outcome(ExitCodes.STOPPED, "Shutdown requested; " + spec.id() + " was not started.", null);
			}
			// the run lock makes this process's recovery run the incident's only one
			GracefulShutdown.running(spec.id(),
					incident -> !killSwitch.requestStop(incident, List.of(KillSwitch.RECOVERY_JOB)).isEmpty());
			try {
				return startOrResume(spec);
			}
			finally {
				GracefulShutdown.running(null, null);
			}
		}
		catch (RunLock.HeldElsewhereException busy) {
			return new Outcome(ExitCodes.BUSY, busy.getMessage(), null);
		}
	}

	/**
	 * Delivers what is queued for an incident: messages released by {@code resolve --resend}, left for a retry,
	 * or still pending while another process runs the incident. Each pass is its own job instance and takes no
	 * run lock: what it sends is decided row by row by the outbox claims, so passes in several processes share
	 * the work and none can repeat what another sent.
	 */
	public Outcome deliver(String incidentId) throws Exception {
		return finished(deliverPass(incidentId));
	}

	private JobExecution deliverPass(String incidentId) throws Exception {
		JobParameters parameters = new JobParametersBuilder().addString("incident", incidentId)
			.addLong("pass", System.currentTimeMillis())
			.toJobParameters();
		return jobOperator.start(deliveryJob, parameters);
	}

	/** The first line of what stopped the run: a step's failure, else the job's exit description. */
	static String reason(JobExecution execution) {
		return execution.getAllFailureExceptions()
			.stream()
			.map(IncidentRunner::failureMessage)
			.filter(message -> message != null && !message.isBlank())
			.findFirst()
			.or(() -> execution.getStepExecutions()
				.stream()
				.map(step -> step.getExitStatus().getExitDescription())
				.filter(description -> description != null && !description.isBlank())
				.findFirst())
			.map(text -> text.lines().findFirst().orElse(text))
			.orElse(execution.getExitStatus().getExitCode());
	}

	/** A step's bean that could not be built says so at length; the operator needs the reason inside. */
	static String failureMessage(Throwable failure) {
		return (failure instanceof BeansException ? NestedExceptionUtils.getMostSpecificCause(failure) : failure)
			.getMessage();
	}

	private Outcome startOrResume(IncidentSpec spec) throws Exception {
		JobParameters parameters = parameters(spec.id());
		JobInstance instance = jobRepository.getJobInstance(recoveryJob.getName(), parameters);
		if (instance == null) {
			return finished(jobOperator.start(recoveryJob, parameters));
		}
		JobExecution last = jobRepository.getLastJobExecution(instance);
		if (last.getStatus() == BatchStatus.COMPLETED && outbox.unfinished(spec.id()) > 0) {
			return finished(deliverPass(spec.id()));
		}
		if (last.getStatus() == BatchStatus.COMPLETED) {
			return new Outcome(ExitCodes.DONE, "Incident " + spec.id() + " was already completed on "
					+ last.getEndTime() + "; nothing to send.", last);
		}
		if (last.getStatus().isRunning()) {
			// We hold the run lock, so no live process owns this execution: it died (kill -9, OOM, node loss).
			log.warn("Execution {} of {} was left {} by a process that is gone; recovering it before resuming",
					last.getId(), spec.id(), last.getStatus());
			last = jobOperator.recover(last);
		}
		log.info("Resuming incident {} after a {} run", spec.id(), last.getStatus());
		return finished(jobOperator.restart(last));
	}

	private Outcome finished(JobExecution execution) {
		String incident = execution.getJobParameters().getString("incident");
		Optional<String> refusal = execution.getStepExecutions()
			.stream()
			.filter(step -> GuardTasklet.REFUSED.equals(step.getExitStatus().getExitCode()))
			.map(step -> step.getExitStatus().getExitDescription())
			.findFirst();
		if (refusal.isPresent()) {
			return new Outcome(ExitCodes.REFUSED, "Run of " + incident + " refused: " + refusal.get()
					+ ". Nothing was credited or sent.", execution);
		}
		return switch (execution.getStatus()) {
			case COMPLETED -> new Outcome(ExitCodes.DONE, "Incident " + incident + " completed.", execution);
			case STOPPED -> new Outcome(ExitCodes.STOPPED, "Incident " + incident
					+ " was stopped; run it again to resume.", execution);
			default -> new Outcome(ExitCodes.FAILED, "Incident " + incident + " did not finish (" + reason(execution)
					+ "); " + outbox.unfinished(incident) + " message(s) left. Run it again to resume.", execution);
		};
	}

}
