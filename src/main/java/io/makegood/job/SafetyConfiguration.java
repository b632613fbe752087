package io.makegood.job;

import java.time.Clock;

import io.makegood.MakegoodProperties;
import io.makegood.audience.Approvals;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.AudienceSources;
import io.makegood.delivery.MailTransport;
import io.makegood.incident.IncidentRepository;
import io.makegood.ops.AudiencePreview;
import io.makegood.ops.IncidentReports;
import io.makegood.ops.KillSwitch;
import io.makegood.ops.RunLock;
import io.makegood.ops.SafetyCommands;
import io.makegood.ops.TestSend;
import io.makegood.outbox.FrequencyCap;
import io.makegood.outbox.Senders;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Audience safety: preview, guard approvals, test send, frequency cap and kill switch. Wiring only. */
@Configuration(proxyBeanMethods = false)
public class SafetyConfiguration {

	@Bean
	Approvals approvals(JdbcTemplate jdbc, Clock clock) {
		return new Approvals(jdbc, clock);
	}

	@Bean
	FrequencyCap frequencyCap(JdbcTemplate jdbc, MakegoodProperties properties, Clock clock) {
		MakegoodProperties.FrequencyCap cap = properties.frequencyCap();
		return new FrequencyCap(jdbc, cap.messages(), cap.period(), clock);
	}

	@Bean
	AudiencePreview audiencePreview(JdbcTemplate jdbc, AudienceSnapshot snapshot, AudienceSources sources,
			Incidents incidents, MakegoodProperties properties, Clock clock) {
		return new AudiencePreview(jdbc, snapshot, sources, incidents, properties, clock);
	}

	@Bean
	TestSend testSend(AudienceSources sources, Incidents incidents, MailTransport transport,
			MakegoodProperties properties, Clock clock) {
		return new TestSend(sources, incidents, transport, properties, clock);
	}

	@Bean
	KillSwitch killSwitch(JobOperator jobOperator, JobRepository jobRepository, RunLock runLock, Senders senders) {
		return new KillSwitch(jobOperator, jobRepository, runLock, senders);
	}

	@Bean
	SafetyCommands safetyCommands(AudiencePreview preview, TestSend testSend, Approvals approvals,
			KillSwitch killSwitch, FrequencyCap frequencyCap, IncidentRepository incidents, IncidentReports reports,
			RunLock runLock, JobOperator jobOperator, @Qualifier("releaseCappedJob") Job releaseCappedJob,
			MakegoodProperties properties, Clock clock) {
		return new SafetyCommands(preview, testSend, approvals, killSwitch, frequencyCap, incidents, reports, runLock,
				jobOperator, releaseCappedJob, properties.reports(), properties.safety().stopWait(), clock);
	}

}
