package io.makegood.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Stops a running incident from any process. The stop is recorded in the job repository; the process running
 * the incident sees it when it commits its next chunk (Spring Batch re-reads the execution's status then), ends
 * the step and the job as STOPPED, and releases the run lock. Nothing is lost: {@code run} resumes later.
 */
public class KillSwitch {

	private static final Logger log = LoggerFactory.getLogger(KillSwitch.class);

	private static final List<String> JOBS = List.of("recovery", "release-capped");

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final RunLock runLock;

	public KillSwitch(JobOperator jobOperator, JobRepository jobRepository, RunLock runLock) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
		this.runLock = runLock;
	}

	/** @return ids of the executions asked to stop; empty when the incident is not running */
	public List<Long> requestStop(String incidentId) {
		List<Long> stopped = new ArrayList<>();
		for (String job : JOBS) {
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

	/** Waits until no process holds the incident's run lock. @return whether it was released in time */
	public boolean awaitEnd(String incidentId, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (runLock.holder(incidentId).filter(holder -> !runLock.isDead(holder)).isPresent()) {
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

}
