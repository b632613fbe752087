package io.makegood.job;

import java.time.Clock;

import javax.sql.DataSource;

import io.makegood.MakegoodProperties;
import io.makegood.audience.Approvals;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.GuardTasklet;
import io.makegood.audience.AudienceSources;
import io.makegood.audience.SnapshotAccount;
import io.makegood.audience.SnapshotPartitioner;
import io.makegood.audience.SnapshotReaders;
import io.makegood.audience.SnapshotTasklet;
import io.makegood.credit.CompensationPolicies;
import io.makegood.credit.CreditGrantWriter;
import io.makegood.credit.CreditLedger;
import io.makegood.credit.GrantProcessor;
import io.makegood.credit.GrantedCredit;
import io.makegood.credit.claim.ClaimLinks;
import io.makegood.delivery.DeliveryWriter;
import io.makegood.delivery.MessagePreparer;
import io.makegood.incident.IncidentSpec;
import io.makegood.metrics.MakegoodMetrics;
import io.makegood.ops.FailedRunReport;
import io.makegood.ops.IncidentReports;
import io.makegood.ops.ProgressListener;
import io.makegood.ops.ReportTasklet;
import io.makegood.outbox.CapTasklet;
import io.makegood.outbox.FrequencyCap;
import io.makegood.outbox.OutboxEntry;
import io.makegood.outbox.OutboxReader;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * validate → snapshot → guard → grant → cap → deliver → report. The report step fails the job while any message
 * is still to be sent, so "run again" is the one way to resume; a run that fails before it still writes its
 * report. Snapshot, guard, cap, deliver and report are idempotent and run on every restart; grant is skipped once
 * complete. The guard refuses an audience outside the spec's limits before anything is credited (the job fails
 * with the guard step's exit code REFUSED); the cap holds messages of accounts mailed recently by other
 * incidents as CAPPED.
 */
@Configuration(proxyBeanMethods = false)
public class RecoveryJobConfiguration {

	/** Enough ranges that the grant's workers finish close together; each still spans many chunks. */
	static final int RANGES_PER_GRANT_WORKER = 4;

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
			.next(guardStep).on(GuardTasklet.REFUSED).fail()
			.from(guardStep).on("*").to(grantStep)
			.next(capStep)
			.next(deliverStep)
			.next(reportStep).on("FAILED").fail()
			.from(reportStep).on("*").end()
			.end()
			.build();
	}

	/** Delivers what is queued for an incident (resolve --resend, nightly, a completed run with new work). */
	@Bean
	Job deliveryJob(JobRepository jobRepository, Step deliverStep, Step reportStep, IncidentReports reports) {
		return new JobBuilder("delivery", jobRepository).listener(new FailedRunReport(reports))
			.start(deliverStep)
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

	@Bean
	Step guardStep(JobRepository jobRepository, PlatformTransactionManager tm, GuardTasklet guardTasklet) {
		return new StepBuilder("guard", jobRepository).tasklet(guardTasklet, tm)
			.listener(guardTasklet)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	GuardTasklet guardTasklet(@Value("#{jobParameters['incident']}") String incident, Incidents incidents,
			JdbcTemplate jdbc, AudienceSnapshot snapshot, Approvals approvals, MakegoodProperties properties) {
		return new GuardTasklet(incidents.spec(incident), jdbc, snapshot, approvals, new GuardTasklet.Limits(
				properties.safety().requireExpectedAbove(), properties.safety().approvalAbove()));
	}

	@Bean
	Step capStep(JobRepository jobRepository, PlatformTransactionManager tm, CapTasklet capTasklet) {
		return new StepBuilder("cap", jobRepository).tasklet(capTasklet, tm).allowStartIfComplete(true).build();
	}

	@Bean
	@StepScope
	CapTasklet capTasklet(@Value("#{jobParameters['incident']}") String incident, FrequencyCap frequencyCap) {
		return new CapTasklet(incident, frequencyCap);
	}

	@Bean
	Step validateStep(JobRepository jobRepository, PlatformTransactionManager tm, Incidents incidents) {
		return new StepBuilder("validate", jobRepository).tasklet((contribution, context) -> {
			String incident = (String) context.getStepContext().getJobParameters().get("incident");
			incidents.template(incidents.spec(incident));
			return null;
		}, tm).allowStartIfComplete(true).build();
	}

	@Bean
	Step snapshotStep(JobRepository jobRepository, PlatformTransactionManager tm, SnapshotTasklet snapshotTasklet) {
		return new StepBuilder("snapshot", jobRepository).tasklet(snapshotTasklet, tm).allowStartIfComplete(true).build();
	}

	@Bean
	@StepScope
	SnapshotTasklet snapshotTasklet(@Value("#{jobParameters['incident']}") String incident, Incidents incidents,
			AudienceSnapshot snapshot, AudienceSources sources, MakegoodMetrics metrics) {
		return new SnapshotTasklet(incidents.spec(incident), snapshot, sources, metrics);
	}

	/**
	 * Grants the snapshot's ranges on several workers at once: a single worker alternates between its own work
	 * and the database's, which leaves a core idle. There are more ranges than workers, so a worker that is done
	 * early takes the next range instead of idling while another finishes a long one. Each range is its own
	 * restartable step execution.
	 */
	@Bean
	Step grantStep(JobRepository jobRepository, Step grantRangeStep, SnapshotPartitioner grantPartitioner,
			MakegoodProperties properties) {
		int workers = properties.credit().grantWorkers();
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("mg-grant-");
		executor.setConcurrencyLimit(workers);
		return new StepBuilder("grant", jobRepository).partitioner("grant", grantPartitioner)
			.step(grantRangeStep)
			.gridSize(workers * RANGES_PER_GRANT_WORKER)
			.taskExecutor(executor)
			.build();
	}

	@Bean
	@StepScope
	SnapshotPartitioner grantPartitioner(@Value("#{jobParameters['incident']}") String incident,
			AudienceSnapshot snapshot) {
		return snapshot.partitioner(incident);
	}

	@Bean
	Step grantRangeStep(JobRepository jobRepository, PlatformTransactionManager tm, MakegoodProperties properties,
			JdbcPagingItemReader<SnapshotAccount> snapshotAccountReader, GrantProcessor grantProcessor,
			CreditGrantWriter creditGrantWriter, ProgressListener progress) {
		return new StepBuilder("grant-range", jobRepository).<SnapshotAccount, GrantedCredit>chunk(
				properties.audience().pageSize())
			.transactionManager(tm)
			.reader(snapshotAccountReader)
			.processor(grantProcessor)
			.writer(creditGrantWriter)
			.listener(progress)
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<SnapshotAccount> snapshotAccountReader(@Value("#{jobParameters['incident']}") String incident,
			@Value("#{stepExecutionContext['" + SnapshotPartitioner.FIRST_SEQ + "']}") long firstSeq,
			@Value("#{stepExecutionContext['" + SnapshotPartitioner.LAST_SEQ + "']}") long lastSeq,
			DataSource dataSource, MakegoodProperties properties) throws Exception {
		return SnapshotReaders.accounts(dataSource, incident, firstSeq, lastSeq, properties.audience().pageSize());
	}

	@Bean
	@StepScope
	GrantProcessor grantProcessor(@Value("#{jobParameters['incident']}") String incident, Incidents incidents,
			MakegoodProperties properties, Clock clock) {
		IncidentSpec spec = incidents.spec(incident);
		return new GrantProcessor(CompensationPolicies.from(spec.compensation(), properties.credit().rounding()), clock);
	}

	@Bean
	@StepScope
	CreditGrantWriter creditGrantWriter(@Value("#{jobParameters['incident']}") String incident, Incidents incidents,
			CreditLedger ledger, OutboxRepository outbox, MakegoodMetrics metrics, Clock clock) {
		return new CreditGrantWriter(incident, ledger, outbox, incidents.messageIds(incidents.spec(incident)), metrics,
				clock);
	}

	@Bean
	Step deliverStep(JobRepository jobRepository, PlatformTransactionManager tm, MakegoodProperties properties,
			OutboxReader outboxReader, DeliveryWriter<OutboxEntry> deliveryWriter, ProgressListener progress) {
		// no processor: the writer's lanes render each message, so rendering runs on every core
		return new StepBuilder("deliver", jobRepository).<OutboxEntry, OutboxEntry>chunk(
				properties.delivery().chunkSize())
			.transactionManager(tm)
			.reader(outboxReader)
			.writer(deliveryWriter)
			.listener(deliveryWriter)
			.listener(progress)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	OutboxReader outboxReader(@Value("#{jobParameters['incident']}") String incident, JdbcTemplate jdbc,
			MakegoodProperties properties, Clock clock) {
		return new OutboxReader(jdbc, incident, properties.delivery().chunkSize(), clock);
	}

	@Bean
	@StepScope
	DeliveryWriter<OutboxEntry> deliveryWriter(@Value("#{jobParameters['incident']}") String incident,
			Incidents incidents, OutboxRepository outbox, ClaimLinks claimLinks, DeliveryWiring wiring) {
		IncidentSpec spec = incidents.spec(incident);
		MessagePreparer preparer = incidents.messagePreparer(spec, outbox,
				claimLinks.forIncident(incident, ClaimLinks.MESSAGE));
		return wiring.writer(spec, incident, preparer::process);
	}

	@Bean
	Step reportStep(JobRepository jobRepository, PlatformTransactionManager tm, ReportTasklet reportTasklet) {
		return new StepBuilder("report", jobRepository).tasklet(reportTasklet, tm)
			.listener(reportTasklet)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	ReportTasklet reportTasklet(@Value("#{jobParameters['incident']}") String incident, IncidentReports reports) {
		return new ReportTasklet(incident, reports);
	}

	@Bean
	ProgressListener progressListener() {
		return new ProgressListener();
	}


}
