package bench.naive;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/** Starts the job once and prints one machine-readable line that bench/run.sh parses. */
@Component
class NaiveJobRunner implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger log = LoggerFactory.getLogger(NaiveJobRunner.class);

	private final JobOperator jobOperator;

	private final Job naiveJob;

	private int exitCode = 1;

	NaiveJobRunner(JobOperator jobOperator, Job naiveJob) {
		this.jobOperator = jobOperator;
		this.naiveJob = naiveJob;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		JobExecution execution = jobOperator.start(naiveJob,
				new JobParametersBuilder().addLong("run", System.currentTimeMillis()).toJobParameters());
		for (StepExecution step : execution.getStepExecutions()) {
			double seconds = Duration.between(step.getStartTime(), step.getEndTime()).toNanos() / 1e9;
			System.out.printf("NAIVE status=%s written=%d step_seconds=%.3f%n", step.getStatus(),
					step.getWriteCount(), seconds);
		}
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			log.error("naive job ended {}: {}", execution.getStatus(), execution.getExitStatus().getExitDescription());
			return;
		}
		exitCode = 0;
	}

	@Override
	public int getExitCode() {
		return exitCode;
	}

}
