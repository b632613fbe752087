package io.makegood.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.OutboxRepository.Outcome;
import io.makegood.outbox.OutboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a chunk over N persistent transport sessions. Each session has at most one row in SENDING at a time:
 * the row is claimed and committed before it reaches the transport, and its outcome is committed together with
 * the claim of the next row. A crash can therefore leave at most N rows in doubt, and never a sent row that
 * looks unsent.
 */
public class DeliveryWriter implements ItemWriter<PreparedMessage>, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

	/** A transient outcome, thrown so Framework retry can back off and try again. */
	static final class TransientSendException extends RuntimeException {

		final SendOutcome outcome;

		TransientSendException(SendOutcome outcome) {
			super(outcome.reply(), null, false, false);
			this.outcome = outcome;
		}

	}

	/** Framework retry for transient outcomes: exponential back-off with jitter, then the row waits as RETRY. */
	public static RetryPolicy transientRetry(int maxAttempts, Duration firstDelay) {
		return RetryPolicy.builder()
			.maxRetries(Math.max(0, maxAttempts - 1))
			.delay(firstDelay)
			.multiplier(2)
			.jitter(firstDelay.dividedBy(4))
			.maxDelay(firstDelay.multipliedBy(16))
			.includes(TransientSendException.class)
			.build();
	}

	public record Settings(int connections, RetryPolicy transientRetry, Duration retryLater, int breakerWindow,
			int breakerMinimumAttempts, double breakerFailureRatio) {
	}

	private final String incidentId;

	private final OutboxRepository outbox;

	private final TransactionTemplate ownTransaction;

	private final MailTransport transport;

	private final Throttle throttle;

	private final Settings settings;

	private final MakegoodMetrics metrics;

	private final Clock clock;

	private final RetryTemplate retry;

	private CircuitBreaker breaker;

	private BlockingQueue<TransportSession> sessions;

	private ExecutorService senders;

	private long executionId;

	public DeliveryWriter(String incidentId, OutboxRepository outbox, TransactionTemplate ownTransaction,
			MailTransport transport, Throttle throttle, Settings settings, MakegoodMetrics metrics, Clock clock) {
		this.incidentId = incidentId;
		this.outbox = outbox;
		this.ownTransaction = ownTransaction;
		this.transport = transport;
		this.throttle = throttle;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
		this.retry = new RetryTemplate(settings.transientRetry());
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		executionId = stepExecution.getJobExecutionId();
		int held = outbox.holdOrphanedSends(incidentId, executionId, clock.instant());
		if (held > 0) {
			log.warn("{} message(s) were in flight when an earlier run stopped; held as IN_DOUBT (not resent)", held);
		}
		outbox.makeEarlierRetriesDue(incidentId, executionId);
		breaker = new CircuitBreaker(settings.breakerWindow(), settings.breakerMinimumAttempts(),
				settings.breakerFailureRatio());
		sessions = new ArrayBlockingQueue<>(settings.connections());
		AtomicInteger threadNo = new AtomicInteger();
		senders = Executors.newFixedThreadPool(settings.connections(), r -> {
			Thread thread = new Thread(r, "mg-send-" + threadNo.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void write(Chunk<? extends PreparedMessage> chunk) throws Exception {
		int lanes = Math.min(settings.connections(), chunk.size());
		List<List<PreparedMessage>> perLane = new ArrayList<>();
		for (int i = 0; i < lanes; i++) {
			perLane.add(new ArrayList<>());
		}
		int i = 0;
		for (PreparedMessage message : chunk) {
			perLane.get(i++ % lanes).add(message);
		}
		List<Future<?>> running = new ArrayList<>();
		for (List<PreparedMessage> lane : perLane) {
			running.add(senders.submit(() -> sendLane(lane)));
		}
		for (Future<?> lane : running) {
			try {
				lane.get();
			}
			catch (ExecutionException ex) {
				throw ex.getCause() instanceof Exception cause ? cause : ex;
			}
		}
		if (breaker.isOpen()) {
			throw new DeliveryHaltedException("Delivery halted by the circuit breaker: " + breaker.describe()
					+ ". Nothing is lost; fix the mail server and run again to resume.");
		}
	}

	private void sendLane(List<PreparedMessage> lane) {
		TransportSession session = takeSession();
		Outcome previous = null;
		try {
			for (PreparedMessage message : lane) {
				if (breaker.isOpen() || Thread.currentThread().isInterrupted()) {
					break;
				}
				if (!recordAndClaim(previous, message.accountId())) {
					previous = null;
					continue;
				}
				previous = deliver(session, message);
			}
		}
		finally {
			if (previous != null) {
				Outcome last = previous;
				ownTransaction.executeWithoutResult(s -> outbox.record(incidentId, List.of(last), clock.instant()));
			}
			sessions.add(session);
		}
	}

	private boolean recordAndClaim(Outcome previous, String accountId) {
		return Boolean.TRUE.equals(ownTransaction.execute(s -> {
			if (previous != null) {
				outbox.record(incidentId, List.of(previous), clock.instant());
			}
			return !outbox.claim(incidentId, List.of(accountId), executionId, clock.instant()).isEmpty();
		}));
	}

	private Outcome deliver(TransportSession session, PreparedMessage message) {
		if (message.renderError() != null) {
			metrics.messages(incidentId, "failed").increment();
			return new Outcome(message.accountId(), OutboxStatus.FAILED, "render: " + message.renderError(), null);
		}
		long started = System.nanoTime();
		SendOutcome result = sendWithRetry(session, message.message());
		metrics.sendLatency(incidentId, Duration.ofNanos(System.nanoTime() - started));
		breaker.record(result.kind() != SendOutcome.Kind.ACCEPTED);
		metrics.messages(incidentId, result.kind().name().toLowerCase()).increment();
		return switch (result.kind()) {
			case ACCEPTED -> new Outcome(message.accountId(), OutboxStatus.SENT, null, null);
			case PERMANENT -> new Outcome(message.accountId(), OutboxStatus.FAILED, result.reply(), null);
			case IN_DOUBT -> new Outcome(message.accountId(), OutboxStatus.IN_DOUBT, result.reply(), null);
			case TRANSIENT -> new Outcome(message.accountId(), OutboxStatus.RETRY, result.reply(),
					clock.instant().plus(settings.retryLater()));
		};
	}

	private SendOutcome sendWithRetry(TransportSession session, OutgoingMessage message) {
		try {
			return retry.execute(() -> {
				throttle.acquire();
				SendOutcome outcome = session.send(message);
				if (outcome.kind() == SendOutcome.Kind.TRANSIENT) {
					throw new TransientSendException(outcome);
				}
				return outcome;
			});
		}
		catch (RetryException ex) {
			if (ex.getLastException() instanceof TransientSendException transientFailure) {
				return transientFailure.outcome;
			}
			if (ex.getLastException() instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			return SendOutcome.transientFailure(String.valueOf(ex.getLastException()));
		}
	}

	private TransportSession takeSession() {
		TransportSession session = sessions.poll();
		return session != null ? session : transport.openSession();
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		senders.shutdownNow();
		TransportSession session;
		while ((session = sessions.poll()) != null) {
			session.close();
		}
		return null;
	}

}
