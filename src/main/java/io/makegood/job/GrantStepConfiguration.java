package io.makegood.job;

import java.time.Clock;

import javax.sql.DataSource;

import io.makegood.MakegoodProperties;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.SnapshotAccount;
import io.makegood.audience.SnapshotPartitioner;
import io.makegood.audience.SnapshotReaders;
import io.makegood.credit.CompensationPolicies;
import io.makegood.credit.CreditGrantWriter;
import io.makegood.credit.CreditLedger;
import io.makegood.credit.GrantProcessor;
import io.makegood.credit.GrantedCredit;
import io.makegood.incident.IncidentSpec;
import io.makegood.metrics.MakegoodMetrics;
import io.makegood.ops.ProgressListener;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/** The grant step: credits and queued messages for the snapshot, in ranges on several workers. */
@Configuration(proxyBeanMethods = false)
public class GrantStepConfiguration {

	/** Enough ranges that the grant's workers finish close together; each still spans many chunks. */
	static final int RANGES_PER_GRANT_WORKER = 4;

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

}
