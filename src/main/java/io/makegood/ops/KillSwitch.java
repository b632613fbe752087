package io.makegood.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.makegood.outbox.Senders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Stops a running incident from any process. The stop is recorded in the job repository; the process running
 * the incident sees it when it commits its next chunk (Spring Batch re-reads the execution's status then), ends
 * the step and the job as STOPPED, and releases the run lock. Nothing is lost: {@code run} resumes later. Delivery
 * passes ({@code deliver}, {@code resolve --resend}, the nightly's resumes) are stopped too; they take no run lock,
 * so their end is seen when their sender leaves.
 */
public class KillSwitch {

	private static final Logger log = LoggerFactory.getLogger(KillSwitch.class);

	static final String RECOVERY_JOB = "recovery";

	private static final List<String> JOBS = List.of(RECOVERY_JOB, "release-capped", "delivery");

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final RunLock runLock;

	private final Senders senders;

	public KillSwitch(JobOperator jobOperator, JobRepository jobRepository, RunLock runLock, Senders senders) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.runLock = runLock;
		this.senders = senders;
	}

	/** @return ids of the executions asked to stop; empty when the incident is not running */
	public List<Long> requestStop(String incidentId) {
		return requestStop(incidentId, JOBS);
	}

	/**
	 * Stops only the incident's executions of the given jobs; a process stopping its own recovery run must not
	 * stop delivery passes other processes run for the same incident.
	 */
	public List<Long> requestStop(String incidentId, List<String> jobs) {
		List<Long> stopped = new ArrayList<>();
		for (String job : jobs) {
			for (JobExecution execution : jobRepository.findRunningJobExecutions(job)) {
				if (incidentId.equals(execution.getJobParameters().getString("incident"))) {
					try {
						jobOperator.stop(execution);
						stopped.add(execution.getId());
						log.info("Stop requested for execution {} of {}", execution.getId(), incidentId);
					}
					catch (JobExecutionNotRunningException ex) {
						// ended meanwhile: nothing to stop
					}
				}
			}
		}
		return stopped;
	}

	/**
	 * Waits until no live process holds the incident's run lock and none is delivering it.
	 * @return whether that happened in time
	 */
	public boolean awaitEnd(String incidentId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (stillSending(incidentId)) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	private boolean stillSending(String incidentId) {
		if (runLock.holder(incidentId).filter(holder -> !runLock.isDead(holder)).isPresent()) {
			return true;
		}
		senders.reapDead(incidentId);
		return !senders.live(incidentId).isEmpty();
	}

}
