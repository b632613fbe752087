package io.makegood.job;

import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Builds an incident's delivery writer from the spec and the operator's settings. On PostgreSQL the rate buckets
 * (global and per domain) are shared through the database, so every process sending the incident obeys one limit
 * of each.
 */
public record DeliveryWiring(OutboxRepository outbox, Senders senders, SuppressionList suppressions,
		MailTransport transport, DataSource dataSource, SqlDialect dialect, MakegoodProperties properties,
		MakegoodMetrics metrics, Clock clock, JobRepository jobRepository) {

	private static final Set<BatchStatus> STOP_REQUESTED = EnumSet.of(BatchStatus.STOPPING, BatchStatus.STOPPED,
			BatchStatus.ABANDONED);

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
		DeliveryWriter<T> writer = new DeliveryWriter<>(outboxKey, preparer, outbox, senders, suppressions, transport,
				rate(spec), settings, metrics, clock);
		return writer.stoppedBy(this::stopRequested);
	}

	private boolean stopRequested(long jobExecutionId) {
		JobExecution execution = jobRepository.getJobExecution(jobExecutionId);
		// JobOperator.stop from another process records STOPPED at once, as it finds no step running in its own
		return execution != null && STOP_REQUESTED.contains(execution.getStatus());
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
