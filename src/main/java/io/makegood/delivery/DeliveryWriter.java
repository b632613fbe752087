package io.makegood.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.OutboxRepository.Outcome;
import io.makegood.outbox.OutboxStatus;
import io.makegood.outbox.Senders;
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
 * the claim of the next row. A crash can therefore leave at most N rows in doubt per process, and never a sent
 * row that looks unsent. Claims carry this process's sender id, so several processes can deliver one incident.
 */
public class DeliveryWriter implements ItemWriter<PreparedMessage>, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

	/**
	 * How often one message may be told "slow down" before it waits as RETRY for a later run. A server that
	 * never stops saying it counts against the circuit breaker, so it cannot hold a run forever.
	 */
	private static final int MAX_THROTTLED_ATTEMPTS = 5;

	/** Messages kept aside (unclaimed, still PENDING) while their domain is at its limit. */
	private static final int MAX_PARKED = 10_000;

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
			int breakerMinimumAttempts, double breakerFailureRatio, Duration heartbeat) {
	}

	private final String incidentId;

	private final OutboxRepository outbox;

	private final Senders senders;

	private final SuppressionList suppressions;

	private final TransactionTemplate ownTransaction;

	private final MailTransport transport;

	private final SendRate rate;

	private final Settings settings;

	private final MakegoodMetrics metrics;

	private final Clock clock;

	private final RetryTemplate retry;

	private CircuitBreaker breaker;

	private BlockingQueue<TransportSession> sessions;

	private ExecutorService lanes;

	private ScheduledExecutorService heartbeat;

	private long senderId;

	private final ConcurrentLinkedQueue<PreparedMessage> parked = new ConcurrentLinkedQueue<>();

	public DeliveryWriter(String incidentId, OutboxRepository outbox, Senders senders, SuppressionList suppressions,
			TransactionTemplate ownTransaction, MailTransport transport, SendRate rate, Settings settings,
			MakegoodMetrics metrics, Clock clock) {
		this.incidentId = incidentId;
		this.outbox = outbox;
		this.senders = senders;
		this.suppressions = suppressions;
		this.ownTransaction = ownTransaction;
		this.transport = transport;
		this.rate = rate;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
		this.retry = new RetryTemplate(settings.transientRetry());
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		outbox.refreshStatistics();
		senders.reapDead(incidentId);
		senderId = senders.register(incidentId);
		int held = outbox.holdOrphanedSends(incidentId, clock.instant());
		if (held > 0) {
			log.warn("{} message(s) were in flight when an earlier run stopped; held as IN_DOUBT (not resent)", held);
		}
		LocalDateTime runCreated = stepExecution.getJobExecution().getCreateTime();
		outbox.makeEarlierRetriesDue(incidentId,
				runCreated == null ? clock.instant() : runCreated.atZone(ZoneId.systemDefault()).toInstant());
		breaker = new CircuitBreaker(settings.breakerWindow(), settings.breakerMinimumAttempts(),
				settings.breakerFailureRatio());
		sessions = new ArrayBlockingQueue<>(settings.connections());
		AtomicInteger threadNo = new AtomicInteger();
		lanes = Executors.newFixedThreadPool(settings.connections(), r -> daemon(r, "mg-send-" + threadNo.incrementAndGet()));
		heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mg-sender-heartbeat"));
		long period = settings.heartbeat().toMillis();
		heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	private void beat() {
		try {
			senders.heartbeat(senderId, rate.current());
		}
		catch (RuntimeException ex) {
			// a missed beat only makes this sender look older; the next one repairs it
		}
	}

	@Override
	public void write(Chunk<? extends PreparedMessage> chunk) throws Exception {
		List<PreparedMessage> work = new ArrayList<>();
		PreparedMessage waiting;
		while ((waiting = parked.poll()) != null) {
			work.add(waiting);
		}
		work.addAll(chunk.getItems());
		sendAll(work, true);
	}

	/**
	 * @param mayPark whether a message whose domain is at its limit may wait for a later chunk, so messages to
	 * other domains are not held up behind it
	 */
	private void sendAll(List<PreparedMessage> work, boolean mayPark) throws Exception {
		if (work.isEmpty()) {
			return;
		}
		int laneCount = Math.min(settings.connections(), work.size());
		List<Deque<PreparedMessage>> perLane = new ArrayList<>();
		for (int i = 0; i < laneCount; i++) {
			perLane.add(new ArrayDeque<>());
		}
		int i = 0;
		for (PreparedMessage message : work) {
			perLane.get(i++ % laneCount).add(message);
		}
		List<Future<?>> running = new ArrayList<>();
		for (Deque<PreparedMessage> lane : perLane) {
			running.add(lanes.submit(() -> sendLane(lane, mayPark)));
		}
		// every lane finishes (and records its last outcome) before anything is rethrown, so a failing lane
		// cannot leave another lane's row in SENDING
		Exception failure = null;
		for (Future<?> lane : running) {
			try {
				lane.get();
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = ex.getCause() instanceof Exception cause ? cause : ex;
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		if (breaker.isOpen()) {
			throw new DeliveryHaltedException("Delivery halted by the circuit breaker: " + breaker.describe()
					+ ". Nothing is lost; fix the mail server and run again to resume.");
		}
	}

	private void sendLane(Deque<PreparedMessage> lane, boolean mayPark) {
		TransportSession session = takeSession();
		Outcome previous = null;
		int deferredInARow = 0;
		try {
			while (!lane.isEmpty() && !breaker.isOpen() && !Thread.currentThread().isInterrupted()) {
				PreparedMessage message = lane.poll();
				long wait = message.message() == null ? 0 : rate.tryAcquireDomain(message.message().recipient());
				if (wait > 0) {
					if (mayPark && parked.size() < MAX_PARKED) {
						parked.add(message);
						continue;
					}
					// nothing else to send meanwhile: wait for the earliest domain to have room again
					lane.addLast(message);
					if (++deferredInARow >= lane.size()) {
						LockSupport.parkNanos(wait);
						deferredInARow = 0;
					}
					continue;
				}
				deferredInARow = 0;
				if (!recordAndClaim(previous, message.accountId())) {
					previous = null;
					continue;
				}
				previous = deliverClaimed(session, message);
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
			return !outbox.claim(incidentId, List.of(accountId), senderId, clock.instant()).isEmpty();
		}));
	}

	/** A claimed row always gets an outcome, so nothing this process still runs is ever left in SENDING. */
	private Outcome deliverClaimed(TransportSession session, PreparedMessage message) {
		try {
			return deliver(session, message);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Outcome(message.accountId(), OutboxStatus.RETRY, "interrupted before it was sent",
					clock.instant());
		}
		catch (RuntimeException ex) {
			// the transport failed in a way it could not classify: the message may have gone out
			return new Outcome(message.accountId(), OutboxStatus.IN_DOUBT, "transport error: " + ex.getMessage(),
					null);
		}
	}

	private Outcome deliver(TransportSession session, PreparedMessage message) throws InterruptedException {
		if (message.renderError() != null) {
			metrics.messages(incidentId, "failed").increment();
			return new Outcome(message.accountId(), OutboxStatus.FAILED, "render: " + message.renderError(), null);
		}
		// the global permit comes after the claim: a row another process won costs no permit
		rate.acquireGlobal();
		long started = System.nanoTime();
		SendOutcome result = sendWithRetry(session, message.message());
		metrics.sendLatency(incidentId, Duration.ofNanos(System.nanoTime() - started));
		breaker.record(result.kind() != SendOutcome.Kind.ACCEPTED);
		metrics.messages(incidentId, result.kind().name().toLowerCase()).increment();
		return switch (result.kind()) {
			case ACCEPTED -> new Outcome(message.accountId(), OutboxStatus.SENT, null, null);
			case PERMANENT -> permanent(message.message(), result.reply());
			case IN_DOUBT -> new Outcome(message.accountId(), OutboxStatus.IN_DOUBT, result.reply(), null);
			case TRANSIENT -> new Outcome(message.accountId(), OutboxStatus.RETRY, result.reply(),
					clock.instant().plus(settings.retryLater()));
		};
	}

	private Outcome permanent(OutgoingMessage message, String reply) {
		if (ReplyKinds.isUnknownRecipient(reply)) {
			suppressions.add(message.recipient(), SuppressionList.Reason.BOUNCED, reply, clock.instant());
		}
		return new Outcome(message.accountId(), OutboxStatus.FAILED, reply, null);
	}

	/**
	 * Transient failures are retried with back-off; "slow down" replies lower the rate for the whole run and
	 * are retried without counting as attempts, since nothing is wrong with the message.
	 */
	private SendOutcome sendWithRetry(TransportSession session, OutgoingMessage message) throws InterruptedException {
		SendOutcome outcome = SendOutcome.transientFailure("not sent: delivery was halted by the circuit breaker");
		for (int throttled = 0; throttled < MAX_THROTTLED_ATTEMPTS && !breaker.isOpen(); throttled++) {
			outcome = sendWithBackOff(session, message);
			if (outcome.kind() != SendOutcome.Kind.TRANSIENT || !ReplyKinds.isThrottling(outcome.reply())) {
				if (outcome.isAccepted()) {
					rate.recordSuccess();
				}
				return outcome;
			}
			// the message is fine, but a server that only ever says "slow down" must still trip the breaker
			breaker.record(true);
			rate.slowDown();
			acquireBlocking(message.recipient());
		}
		return outcome;
	}

	private SendOutcome sendWithBackOff(TransportSession session, OutgoingMessage message) {
		try {
			return retry.execute(() -> {
				SendOutcome outcome = session.send(message);
				if (outcome.kind() == SendOutcome.Kind.TRANSIENT && !ReplyKinds.isThrottling(outcome.reply())) {
					throw new TransientSendException(outcome);
				}
				return outcome;
			});
		}
		catch (RetryException ex) {
			if (ex.getLastException() instanceof TransientSendException transientFailure) {
				return transientFailure.outcome;
			}
			return SendOutcome.transientFailure(String.valueOf(ex.getLastException()));
		}
	}

	private void acquireBlocking(String recipient) throws InterruptedException {
		long wait;
		while (!breaker.isOpen() && (wait = rate.tryAcquire(recipient)) > 0) {
			LockSupport.parkNanos(wait);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

	private TransportSession takeSession() {
		TransportSession session = sessions.poll();
		return session != null ? session : transport.openSession();
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		ExitStatus exit = null;
		if (!parked.isEmpty() && !stepExecution.isTerminateOnly() && stepExecution.getFailureExceptions().isEmpty()) {
			exit = sendParked();
		}
		lanes.shutdownNow();
		heartbeat.shutdownNow();
		TransportSession session;
		while ((session = sessions.poll()) != null) {
			session.close();
		}
		senders.deregister(senderId);
		return exit;
	}

	/** The last messages of the step, to domains at their limit: sent at the pace those domains allow. */
	private ExitStatus sendParked() {
		List<PreparedMessage> work = new ArrayList<>(parked);
		parked.clear();
		try {
			sendAll(work, false);
			return null;
		}
		catch (Exception ex) {
			log.warn("Delivery of the last rate-limited messages stopped: {}", ex.getMessage());
			return ExitStatus.FAILED.addExitDescription(ex.getMessage());
		}
	}

}
