package io.makegood.job;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.makegood.MakegoodProperties;
import io.makegood.db.SqlDialect;
import io.makegood.delivery.ConnectionBudget;
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
 * Builds an incident's delivery writer from the spec and the operator's settings. On PostgreSQL the rate buckets
 * (global and per domain) are shared through the database, so every process sending the incident obeys one limit
 * of each.
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
		poolSize(dataSource).ifPresent(size -> ConnectionBudget.check(delivery.connections(), size));
		DeliveryWriter.Settings settings = new DeliveryWriter.Settings(delivery.connections(),
				DeliveryWriter.transientRetry(delivery.maxAttempts(), delivery.retryDelay()), delivery.retryLater(),
				delivery.breakerWindow(), delivery.breakerMinimumAttempts(), delivery.breakerFailureRatio(),
				properties.lock().heartbeat());
		return new DeliveryWriter<>(outboxKey, preparer, outbox, senders, suppressions, transport, rate(spec),
				settings, metrics, clock);
	}

	/** The most connections the application's pool will open, when it is a pool that says so. */
	static OptionalInt poolSize(DataSource dataSource) {
		try {
			return dataSource.isWrapperFor(HikariDataSource.class)
					? OptionalInt.of(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize())
					: OptionalInt.empty();
		}
		catch (SQLException ex) {
			return OptionalInt.empty();
		}
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
