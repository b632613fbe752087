package io.makegood.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.job.JobExecution;

/**
 * Writes the report of a run that failed before its report step (a halted delivery, a lost database), so the
 * report on disk always describes the latest run. The report step itself is not reached then: a step that
 * failed and was followed by another one would be marked ABANDONED and never run again on a restart.
 */
public class FailedRunReport implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(FailedRunReport.class);

	private final IncidentReports reports;

	public FailedRunReport(IncidentReports reports) {
		this.reports = reports;
	}

	@Override
	public void afterJob(JobExecution execution) {
		boolean reported = execution.getStepExecutions().stream().anyMatch(step -> step.getStepName().equals("report"));
		if (reported) {
			return;
		}
		String incident = execution.getJobParameters().getString("incident");
		try {
			log.info("Report of {} written to {}", incident,
					reports.write(reports.build(incident, execution.getStatus().name())));
		}
		catch (RuntimeException ex) {
			log.warn("Could not write the report of {} after a failed run: {}", incident, ex.getMessage());
		}
	}

}
