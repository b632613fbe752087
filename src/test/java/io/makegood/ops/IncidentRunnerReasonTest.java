package io.makegood.ops;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one line `run` prints when a job failed: the reason, not the machinery around it. */
class IncidentRunnerReasonTest {

	@Test
	void aStepBeanThatCouldNotBeBuiltGivesTheReasonInside() {
		JobExecution failed = execution(new BeanCreationException("scopedTarget.deliveryWriter",
				"Failed to instantiate [io.makegood.delivery.DeliveryWriter]",
				new IllegalStateException("makegood.delivery.connections=8 needs more")));

		assertThat(IncidentRunner.reason(failed)).isEqualTo("makegood.delivery.connections=8 needs more");
	}

	@Test
	void anyOtherFailureKeepsItsOwnMessage() {
		JobExecution failed = execution(new DataAccessResourceFailureException(
				"Could not settle and claim messages: Connection refused", new IllegalStateException("refused")));

		assertThat(IncidentRunner.reason(failed)).isEqualTo("Could not settle and claim messages: Connection refused");
	}

	private static JobExecution execution(Throwable failure) {
		JobExecution execution = new JobExecution(1L, new JobInstance(1L, "recovery"), new JobParameters());
		execution.addFailureException(failure);
		return execution;
	}

}
