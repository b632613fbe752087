package io.makegood.ops;

import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Writes the report after every run, including a failed one, and decides the job's outcome: the run is only
 * complete when no message is left to send.
 */
public class ReportTasklet implements Tasklet, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

	private final String incidentId;

	private final IncidentReports reports;

	private static final Duration OTHER_SENDERS_PATIENCE = Duration.ofMinutes(2);

	private long unfinished;

	public ReportTasklet(String incidentId, IncidentReports reports) {
		this.incidentId = incidentId;
		this.reports = reports;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
		if (!reports.awaitOtherSenders(incidentId, OTHER_SENDERS_PATIENCE)) {
			log.info("Other processes are still delivering {}; reporting what is known now", incidentId);
		}
		IncidentReport report = reports.build(incidentId, "reporting");
		unfinished = report.unfinished();
		Path written = reports.write(report);
		log.info("Report of {} written to {}", incidentId, written);
		return RepeatStatus.FINISHED;
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		if (unfinished > 0) {
			return new ExitStatus(ExitStatus.FAILED.getExitCode(), unfinished
					+ " message(s) not sent yet (waiting for a retry or interrupted); run again to resume");
		}
		return null;
	}

}
