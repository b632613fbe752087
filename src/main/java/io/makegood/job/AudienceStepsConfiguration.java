package io.makegood.job;

import io.makegood.MakegoodProperties;
import io.makegood.audience.Approvals;
import io.makegood.audience.AudienceSnapshot;
import io.makegood.audience.AudienceSources;
import io.makegood.audience.GuardTasklet;
import io.makegood.audience.SnapshotTasklet;
import io.makegood.metrics.MakegoodMetrics;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The steps that settle who is affected: validate the spec, snapshot the audience, guard its size. */
@Configuration(proxyBeanMethods = false)
public class AudienceStepsConfiguration {

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

}
