package io.makegood.ops;

import java.time.Clock;
import java.time.Duration;

import io.makegood.MakegoodProperties;
import io.makegood.credit.claim.BillingWebhook;
import io.makegood.credit.claim.ClaimLinks;
import io.makegood.credit.claim.ClaimSettings;
import io.makegood.credit.claim.CreditExpiry;
import io.makegood.credit.claim.Reminders;
import io.makegood.credit.claim.Revocation;
import io.makegood.delivery.MailTransport;
import io.makegood.incident.IncidentRepository;
import io.makegood.job.DeliveryWiring;
import io.makegood.job.Incidents;
import io.makegood.job.ReminderDelivery;
import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxRepository;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Wiring of the nightly and revoke commands. */
@Configuration(proxyBeanMethods = false)
public class ClaimCommandsConfiguration {

	@Bean
	ReminderDelivery reminderDelivery(JobRepository jobRepository, JobOperator jobOperator,
			PlatformTransactionManager tm, JdbcTemplate jdbc, Incidents incidents, OutboxRepository outbox,
			DeliveryWiring deliveryWiring, MakegoodProperties properties, Clock clock, ClaimLinks claimLinks,
			Reminders reminders, IncidentReports reports, RunLock runLock, ClaimSettings settings) {
		return new ReminderDelivery(jobRepository, jobOperator, tm, jdbc, incidents, outbox, deliveryWiring,
				properties, clock, claimLinks, reminders, reports, runLock, settings.claims().reminderTemplate());
	}

	@Bean
	NightlyRun nightlyRun(CreditExpiry expiry, Reminders reminders, ReminderDelivery reminderDelivery,
			IncidentRunner runner, IncidentRepository repository, Incidents incidents, OutboxRepository outbox,
			ObjectProvider<BillingWebhook> billing, ClaimSettings settings, Clock clock) {
		return new NightlyRun(expiry, reminders, reminderDelivery, runner, repository, incidents, outbox,
				billing.getIfAvailable(), Duration.ofDays(settings.claims().remindDays()), clock);
	}

	@Bean
	ClaimAttemptLimiter claimAttemptLimiter(ClaimSettings settings) {
		return new ClaimAttemptLimiter(settings.claims().attemptsPerMinute(), 100_000);
	}

	@Bean
	ClaimCommands claimCommands(NightlyRun nightly, Revocation revocation, IncidentRepository repository) {
		return new ClaimCommands(nightly, revocation, repository);
	}

}
