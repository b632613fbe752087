package io.makegood.job;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.sql.DataSource;

import io.makegood.MakegoodProperties;
import io.makegood.db.SqlDialect;
import io.makegood.delivery.DeliveryWriter;
import io.makegood.delivery.MailTransport;
import io.makegood.delivery.PreparedMessage;
import io.makegood.delivery.SendRate;
import io.makegood.delivery.SharedRateBuckets;
import io.makegood.delivery.SuppressionList;
import io.makegood.incident.IncidentSpec;
import io.makegood.metrics.MakegoodMetrics;
import io.makegood.ops.IncidentReport;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.Senders;

/**
 * Builds an incident's delivery writer from the spec and the operator's settings. On PostgreSQL the global
 * rate bucket is shared through the database, so every process sending the incident obeys one limit.
 */
public record DeliveryWiring(OutboxRepository outbox, Senders senders, SuppressionList suppressions,
		MailTransport transport, DataSource dataSource,
		SqlDialect dialect, MakegoodProperties properties, MakegoodMetrics metrics, Clock clock) {

	/**
	 * @param outboxKey the outbox rows to send: the incident's own, or a campaign of it such as its reminders
	 * @param preparer renders a queued item; the writer's lanes call it concurrently
	 */
	public <T> DeliveryWriter<T> writer(IncidentSpec spec, String outboxKey,
			Function<? super T, PreparedMessage> preparer) {
		MakegoodProperties.Delivery delivery = properties.delivery();
		DeliveryWriter.Settings settings = new DeliveryWriter.Settings(delivery.connections(),
				DeliveryWriter.transientRetry(delivery.maxAttempts(), delivery.retryDelay()), delivery.retryLater(),
				delivery.breakerWindow(), delivery.breakerMinimumAttempts(), delivery.breakerFailureRatio(),
				properties.lock().heartbeat());
		return new DeliveryWriter<>(outboxKey, preparer, outbox, senders, suppressions, transport, rate(spec),
				settings, metrics, clock);
	}

	SendRate rate(IncidentSpec spec) {
		IncidentReport.Rates configured = configuredRates(spec, properties);
		if (dialect == SqlDialect.POSTGRESQL && (configured.configured() > 0 || !configured.domains().isEmpty())) {
			return new SendRate(configured.configured(), configured.domains(),
					SharedRateBuckets.forIncident(dataSource, spec.id()));
		}
		return SendRate.local(configured.configured(), configured.domains());
	}

	/** The spec's rates where it sets them, the operator's defaults elsewhere. */
	static IncidentReport.Rates configuredRates(IncidentSpec spec, MakegoodProperties properties) {
		Double specRate = spec.delivery().rate();
		Map<String, Double> domains = new TreeMap<>(properties.delivery().domainRates());
		domains.putAll(spec.delivery().domainRates());
		return new IncidentReport.Rates(specRate != null ? specRate : properties.delivery().rate(), domains,
				List.of());
	}

}
