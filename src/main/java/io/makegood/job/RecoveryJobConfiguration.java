package io.makegood.job;

import io.makegood.audience.GuardTasklet;
import io.makegood.ops.FailedRunReport;
import io.makegood.ops.IncidentReports;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The incident jobs' flows; their steps are wired in {@link AudienceStepsConfiguration},
 * {@link GrantStepConfiguration} and {@link DeliverStepsConfiguration}.
 * <p>
 * recovery: validate → snapshot → guard → grant → cap → deliver → report. The report step fails the job while any
 * message is still to be sent, so "run again" is the one way to resume; a run that fails before it still writes its
 * report. Snapshot, guard, cap, deliver and report are idempotent and run on every restart; grant is skipped once
 * complete. The guard refuses an audience outside the spec's limits before anything is credited (the job fails
 * with the guard step's exit code REFUSED); the cap holds messages of accounts mailed recently by other
 * incidents as CAPPED.
 */
@Configuration(proxyBeanMethods = false)
public class RecoveryJobConfiguration {

	/** Job parameter that makes each release of capped messages its own job instance. */
	public static final String RELEASE_PARAMETER = "release";

	@Bean
	Job recoveryJob(JobRepository jobRepository, Step validateStep, Step snapshotStep, Step guardStep,
			Step grantStep, Step capStep, Step deliverStep, Step reportStep, IncidentReports reports) {
		// A failed deliver step must end the flow: had it gone on to the report step, Spring Batch would mark
		// deliver ABANDONED, and an abandoned step is never run again, so no rerun would ever resume delivery.
		return new JobBuilder("recovery", jobRepository).listener(new FailedRunReport(reports))
			.start(validateStep)
			.next(snapshotStep)
			// only a guard that decided lets the run go on: an error on its way to a decision is not a yes
			.next(guardStep).on(GuardTasklet.REFUSED).fail()
			.from(guardStep).on("*").fail()
			.from(guardStep).on("COMPLETED").to(grantStep)
			.next(capStep)
			.next(deliverStep)
			.next(reportStep).on("FAILED").fail()
			.from(reportStep).on("*").end()
			.end()
			.build();
	}

	/**
	 * Delivers what is queued for an incident (resolve --resend, nightly, a completed run with new work, or a share
	 * of a run in progress). The cap comes first, as in a run: a pass may start before the run's own cap step.
	 */
	@Bean
	Job deliveryJob(JobRepository jobRepository, Step capStep, Step deliverStep, Step reportStep,
			IncidentReports reports) {
		return new JobBuilder("delivery", jobRepository).listener(new FailedRunReport(reports))
			.start(capStep)
			.next(deliverStep)
			.next(reportStep).on("FAILED").fail()
			.from(reportStep).on("*").end()
			.end()
			.build();
	}

	/**
	 * Sends the messages the frequency cap held once it allows them (the recovery job of their incident has
	 * usually completed by then). One instance per release, see {@link #RELEASE_PARAMETER}.
	 */
	@Bean
	Job releaseCappedJob(JobRepository jobRepository, Step validateStep, Step capStep, Step deliverStep,
			Step reportStep, IncidentReports reports) {
		return new JobBuilder("release-capped", jobRepository).listener(new FailedRunReport(reports))
			.start(validateStep)
			.next(capStep)
			.next(deliverStep)
			.next(reportStep).on("FAILED").fail()
			.from(reportStep).on("*").end()
			.end()
			.build();
	}

}
