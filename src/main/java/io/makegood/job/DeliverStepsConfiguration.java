package io.makegood.job;

import java.time.Clock;

import io.makegood.MakegoodProperties;
import io.makegood.credit.claim.ClaimLinks;
import io.makegood.delivery.DeliveryWriter;
import io.makegood.delivery.MessagePreparer;
import io.makegood.incident.IncidentSpec;
import io.makegood.ops.IncidentReports;
import io.makegood.ops.ProgressListener;
import io.makegood.ops.ReportTasklet;
import io.makegood.outbox.CapTasklet;
import io.makegood.outbox.FrequencyCap;
import io.makegood.outbox.OutboxEntry;
import io.makegood.outbox.OutboxReader;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The steps after the grant: the frequency cap, delivery of the outbox, and the report. */
@Configuration(proxyBeanMethods = false)
public class DeliverStepsConfiguration {

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
