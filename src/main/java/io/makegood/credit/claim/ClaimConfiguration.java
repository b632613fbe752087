package io.makegood.credit.claim;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.makegood.incident.IncidentRepository;
import io.makegood.job.Incidents;
import io.makegood.outbox.OutboxRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Claim links, claims, expiry, reminders, revocation and the billing webhook. Wiring only. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClaimSettings.class)
public class ClaimConfiguration {

	@Bean
	ClaimTokens claimTokens() {
		return new ClaimTokens();
	}

	@Bean
	ClaimLinks claimLinks(JdbcTemplate jdbc, PlatformTransactionManager tm, ClaimTokens tokens, ClaimSettings settings,
			Clock clock) {
		TransactionTemplate ownTransaction = new TransactionTemplate(tm);
		ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return new ClaimLinks(jdbc, ownTransaction, tokens, settings.publicBaseUrl(), clock);
	}

	@Bean
	BillingWebhook billingWebhook(JdbcTemplate jdbc, ClaimSettings settings, Clock clock) {
		ClaimSettings.Billing billing = settings.billing();
		return billing.webhookUrl() == null ? null
				: new BillingWebhook(jdbc, billing.webhookUrl(), billing.webhookAttempts(), billing.webhookDelay(),
						billing.webhookTimeout(), clock);
	}

	@Bean(destroyMethod = "shutdown")
	ExecutorService billingPosts() {
		AtomicInteger threadNo = new AtomicInteger();
		return Executors.newFixedThreadPool(2, r -> {
			Thread thread = new Thread(r, "mg-billing-" + threadNo.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	// The customer's request does not wait for billing: the claim is committed, and a post that fails every retry
	// is posted again by the nightly run.
	@Bean
	ClaimService claimService(JdbcTemplate jdbc, Clock clock, ObjectProvider<BillingWebhook> webhook,
			ExecutorService billingPosts) {
		BillingWebhook billing = webhook.getIfAvailable();
		ClaimService.ClaimListener listener = billing == null ? (incident, account) -> {
		} : (incident, account) -> billingPosts.execute(() -> billing.post(incident, account));
		return new ClaimService(jdbc, clock, listener);
	}

	@Bean
	CreditExpiry creditExpiry(JdbcTemplate jdbc, IncidentRepository incidents) {
		return new CreditExpiry(jdbc, incidents);
	}

	@Bean
	Revocation revocation(JdbcTemplate jdbc, IncidentRepository incidents, PlatformTransactionManager tm, Clock clock) {
		return new Revocation(jdbc, incidents, new TransactionTemplate(tm), clock);
	}

	@Bean
	Reminders reminders(JdbcTemplate jdbc, OutboxRepository outbox, Incidents incidents) {
		return new Reminders(jdbc, outbox, incidentId -> incidents.messageIds(incidents.spec(incidentId)));
	}

}
