package io.makegood.job;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import io.makegood.MakegoodProperties;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.AudienceSources;
import io.makegood.credit.CreditExport;
import io.makegood.credit.CreditLedger;
import io.makegood.db.SqlDialect;
import io.makegood.delivery.MailTransport;
import io.makegood.delivery.MailTransports;
import io.makegood.delivery.SuppressionList;
import io.makegood.incident.IncidentRepository;
import io.makegood.incident.IncidentSpecParser;
import io.makegood.metrics.MakegoodMetrics;
import io.makegood.ops.ClaimCommands;
import io.makegood.ops.Commands;
import io.makegood.ops.DemoData;
import io.makegood.ops.IncidentReport;
import io.makegood.ops.IncidentReports;
import io.makegood.ops.SpecPreflight;
import io.makegood.ops.IncidentRunner;
import io.makegood.ops.KillSwitch;
import io.makegood.ops.RunLock;
import io.makegood.ops.SafetyCommands;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.LaneJournals;
import io.makegood.outbox.Senders;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** The feature beans every command shares. Wiring only. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MakegoodProperties.class)
public class MakegoodConfiguration {

	/**
	 * UTC. {@code makegood.clock-start} (an ISO instant) starts the clock at that moment and lets it run on from
	 * there, so tests and rehearsals can stage a night several days after a run.
	 */
	@Bean
	Clock clock(@Value("${makegood.clock-start:}") String start) {
		Clock system = Clock.systemUTC();
		return start.isBlank() ? system
				: Clock.offset(system, java.time.Duration.between(system.instant(), java.time.Instant.parse(start)));
	}

	@Bean
	SqlDialect sqlDialect(DataSource dataSource) {
		return SqlDialect.of(dataSource);
	}

	@Bean
	IncidentSpecParser incidentSpecParser() {
		return new IncidentSpecParser();
	}

	@Bean
	IncidentRepository incidentRepository(JdbcClient jdbc, Clock clock) {
		return new IncidentRepository(jdbc, clock);
	}

	@Bean
	AudienceSources audienceSources(DataSource dataSource, MakegoodProperties properties) {
		MakegoodProperties.Source source = properties.source();
		return new AudienceSources(dataSource, source.url(), source.username(), source.password(),
				source.pageSize());
	}

	@Bean
	AudienceSnapshot audienceSnapshot(JdbcTemplate jdbc, SqlDialect dialect, MakegoodProperties properties,
			Clock clock) {
		return new AudienceSnapshot(jdbc, dialect, properties.audience().pageSize(), clock);
	}

	@Bean
	CreditLedger creditLedger(JdbcTemplate jdbc, SqlDialect dialect) {
		return new CreditLedger(jdbc, dialect);
	}

	@Bean
	CreditExport creditExport(DataSource dataSource) {
		return new CreditExport(dataSource);
	}

	@Bean
	OutboxRepository outboxRepository(JdbcTemplate jdbc, SqlDialect dialect) {
		return new OutboxRepository(jdbc, dialect);
	}

	@Bean
	MailTransport mailTransport(MakegoodProperties properties, ObjectProvider<JavaMailSenderImpl> mailSender) {
		return MailTransports.create(properties.delivery(), mailSender::getIfAvailable);
	}

	@Bean
	Senders senders(JdbcTemplate jdbc, SqlDialect dialect, Clock clock, MakegoodProperties properties) {
		return new Senders(jdbc, dialect, clock, properties.lock().staleAfter(),
				LaneJournals.in(properties.delivery().journalDir()));
	}

	@Bean
	SuppressionList suppressionList(JdbcTemplate jdbc, SqlDialect dialect) {
		return new SuppressionList(jdbc, dialect);
	}

	@Bean
	DeliveryWiring deliveryWiring(OutboxRepository outbox, Senders senders, SuppressionList suppressions,
			MailTransport transport, DataSource dataSource, SqlDialect dialect, MakegoodProperties properties,
			MakegoodMetrics metrics, Clock clock, JobRepository jobRepository) {
		return new DeliveryWiring(outbox, senders, suppressions, transport, dataSource, dialect, properties, metrics,
				clock, jobRepository);
	}

	@Bean
	MakegoodMetrics makegoodMetrics(MeterRegistry registry) {
		return new MakegoodMetrics(registry);
	}

	@Bean
	RunLock runLock(JdbcClient jdbc, Clock clock, MakegoodProperties properties) {
		return new RunLock(jdbc, clock, properties.lock().heartbeat(), properties.lock().staleAfter());
	}

	@Bean
	IncidentReports incidentReports(JdbcTemplate jdbc, SqlDialect dialect, IncidentRepository incidents,
			AudienceSnapshot snapshot, OutboxRepository outbox, Senders senders, IncidentSpecParser parser,
			MakegoodProperties properties, Clock clock) {
		return new IncidentReports(jdbc, dialect, incidents, snapshot, outbox, senders,
				id -> incidents.find(id).isPresent() ? DeliveryWiring.configuredRates(incidents.spec(id, parser), properties)
						: new IncidentReport.Rates(properties.delivery().rate(), properties.delivery().domainRates(),
								List.of()),
				properties.reports(), clock);
	}


	@Bean
	Incidents incidents(IncidentRepository repository, IncidentSpecParser parser, MakegoodProperties properties) {
		return new Incidents(repository, parser, properties);
	}

	@Bean
	SpecPreflight specPreflight(Incidents incidents, AudienceSources sources, MakegoodProperties properties,
			Clock clock) {
		return new SpecPreflight(incidents, sources, properties, clock);
	}

	@Bean
	DemoData demoData(JdbcTemplate jdbc, MakegoodProperties properties) {
		return new DemoData(jdbc, properties.delivery().pickupDir());
	}

	@Bean
	Commands commands(IncidentSpecParser parser, SpecPreflight preflight, IncidentRunner runner,
			IncidentRepository repository, IncidentReports reports, CreditExport creditExport,
			JobRepository jobRepository, DemoData demoData, OutboxRepository outbox, Clock clock,
			ClaimCommands claimCommands, SafetyCommands safetyCommands) {
		return new Commands(parser, preflight, runner, repository, reports, creditExport, jobRepository, demoData,
				outbox, clock, claimCommands, safetyCommands);
	}

	@Bean
	IncidentRunner incidentRunner(JobOperator jobOperator, JobRepository jobRepository,
			@Qualifier("recoveryJob") Job recoveryJob, @Qualifier("deliveryJob") Job deliveryJob, RunLock runLock,
			IncidentRepository incidents, OutboxRepository outbox, KillSwitch killSwitch) {
		return new IncidentRunner(jobOperator, jobRepository, recoveryJob, deliveryJob, runLock, incidents, outbox,
				killSwitch);
	}

}
