package io.makegood.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxLane;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.Senders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Sends messages over N persistent transport sessions, each driven by a lane thread that lives for the whole step.
 * {@link #write} only queues a chunk (blocking while the lanes are a queue's length behind), so the step thread
 * reads the next chunk while the lanes send this one. Each lane renders the messages it sends, so rendering, the
 * costliest part of a message, runs on every core.
 * <p>
 * Each lane claims a small batch of rows in one commit before any of them reaches the transport, and commits
 * their outcomes together with the claim of its next batch, on a database connection of its own
 * ({@link OutboxLane}). Its journal notes each message just before it is handed to the transport, so after a
 * crash only the message each lane had in hand is held IN_DOUBT and the rest of the claimed batch is sent by the
 * next run; without a usable journal the whole claimed batch is held. A sent row never looks unsent. Queued
 * messages are not claimed, so a stop or a crash leaves them PENDING for the next run. Claims carry this
 * process's sender id, so several processes can deliver one incident.
 */
public class DeliveryWriter<T> implements ItemWriter<T>, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

	/** Messages kept aside (unclaimed, still PENDING) while their domain is at its limit. */
	private static final int MAX_PARKED = 10_000;

	/** The most rows a lane claims in one commit. */
	private static final int MAX_BATCH = 32;

	/** A throttled lane claims no more than it expects to send in this long. */
	private static final double BATCH_SECONDS = 0.1;

	/** How long an idle lane waits for work before it looks again at parked messages and the end of the step. */
	private static final long IDLE_POLL_MS = 20;

	/** Framework retry for transient outcomes: exponential back-off with jitter, then the row waits as RETRY. */
	public static RetryPolicy transientRetry(int maxAttempts, Duration firstDelay) {
		return ClaimedMessageSender.transientRetry(maxAttempts, firstDelay);
	}

	public record Settings(int connections, RetryPolicy transientRetry, Duration retryLater, int breakerWindow,
			int breakerMinimumAttempts, double breakerFailureRatio, Duration heartbeat) {
	}

	/** Whether someone asked the job execution to stop (`makegood stop`, from any process). */
	@FunctionalInterface
	public interface StopRequests {

		StopRequests NONE = jobExecutionId -> false;

		boolean requested(long jobExecutionId);

	}

	/**
	 * How often the lanes look for a stop request themselves. Spring Batch only sees one when a chunk commits, and
	 * once the reader is done the queued messages are sent without any more chunks.
	 */
	private static final long STOP_CHECK_MS = 1000;

	private final String incidentId;

	private final OutboxRepository outbox;

	private final Senders senders;

	private final SuppressionList suppressions;

	private final MailTransport transport;

	private final SendRate rate;

	private final Settings settings;

	private final MakegoodMetrics metrics;

	private final Clock clock;

	private final Function<? super T, PreparedMessage> preparer;

	private final RetryTemplate retry;

	private StopRequests stopRequests = StopRequests.NONE;

	private final ParkedMessages parked;

	private final AtomicReference<Exception> laneFailure = new AtomicReference<>();

	private CircuitBreaker breaker;

	private ClaimedMessageSender sender;

	private BlockingQueue<T> queue;

	private ExecutorService lanes;

	private List<Future<?>> running;

	private ScheduledExecutorService heartbeat;

	private long senderId;

	/** Set when the step has read everything: lanes send what is queued and parked, then end. */
	private volatile boolean closing;

	/** Set when the step stops or fails: lanes finish the message in hand and end; the rest stays PENDING. */
	private volatile boolean stopping;

	/** @param preparer renders a queued item into the message to send; called on the lanes, so it must be thread-safe */
	public DeliveryWriter(String incidentId, Function<? super T, PreparedMessage> preparer, OutboxRepository outbox,
			Senders senders, SuppressionList suppressions, MailTransport transport, SendRate rate, Settings settings,
			MakegoodMetrics metrics, Clock clock) {
		this.preparer = preparer;
		this.incidentId = incidentId;
		this.outbox = outbox;
		this.senders = senders;
		this.suppressions = suppressions;
		this.transport = transport;
		this.rate = rate;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
		this.retry = new RetryTemplate(settings.transientRetry());
		this.parked = new ParkedMessages(rate, MAX_PARKED);
	}

	/** Lets a stop requested while the queued messages go out end the step without sending the rest. */
	public DeliveryWriter<T> stoppedBy(StopRequests requests) {
		this.stopRequests = requests;
		return this;
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
		sender = new ClaimedMessageSender(incidentId, suppressions, rate, breaker, retry, settings.retryLater(), metrics,
				clock);
		closing = false;
		stopping = false;
		laneFailure.set(null);
		parked.clear();
		queue = new ArrayBlockingQueue<>(settings.connections() * MAX_BATCH * 2);
		AtomicInteger threadNo = new AtomicInteger();
		lanes = Executors.newFixedThreadPool(settings.connections(), r -> daemon(r, "mg-send-" + threadNo.incrementAndGet()));
		running = new ArrayList<>();
		for (int i = 0; i < settings.connections(); i++) {
			int laneNo = i + 1;
			running.add(lanes.submit(() -> runLane(laneNo)));
		}
		heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mg-sender-heartbeat"));
		long period = settings.heartbeat().toMillis();
		heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
		long jobExecutionId = stepExecution.getJobExecutionId();
		heartbeat.scheduleWithFixedDelay(() -> checkStop(jobExecutionId), STOP_CHECK_MS, STOP_CHECK_MS,
				TimeUnit.MILLISECONDS);
	}

	private void checkStop(long jobExecutionId) {
		try {
			if (stopRequests.requested(jobExecutionId)) {
				stopping = true;
			}
		}
		catch (RuntimeException ex) {
			// the next check, or the step's own at its next chunk, sees it
		}
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	private void beat() {
		try {
			if (!senders.heartbeat(senderId, rate.current())) {
				// its rows in SENDING are held IN_DOUBT by then: outcomes recorded from now on would match nothing
				laneFailure.compareAndSet(null, new IllegalStateException("Another process took this one for a dead"
						+ " sender (a long pause, or clocks apart) and held its messages in flight IN_DOUBT; delivery"
						+ " stopped. Run again to resume."));
			}
		}
		catch (RuntimeException ex) {
			// a missed beat only makes this sender look older; the next one repairs it
		}
	}

	@Override
	public void write(Chunk<? extends T> chunk) throws Exception {
		throwIfHalted();
		for (T item : chunk) {
			while (!queue.offer(item, IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
				throwIfHalted();
			}
		}
	}

	private void throwIfHalted() throws Exception {
		Exception failure = laneFailure.get();
		if (failure != null) {
			throw failure;
		}
		if (breaker.isOpen()) {
			throw halted();
		}
	}

	private DeliveryHaltedException halted() {
		return new DeliveryHaltedException("Delivery halted by the circuit breaker: " + breaker.describe()
				+ ". Nothing is lost; fix the mail server and run again to resume.");
	}

	private boolean mustStop() {
		return stopping || laneFailure.get() != null || breaker.isOpen() || Thread.currentThread().isInterrupted();
	}

	private void runLane(int laneNo) {
		TransportSession session = null;
		List<PreparedMessage> batch = new ArrayList<>(MAX_BATCH);
		try (OutboxLane lane = outbox.openLane(incidentId, senderId, senders.openJournal(senderId, laneNo))) {
			try {
				while (!mustStop()) {
					gather(batch, !lane.hasUncommitted());
					if (batch.isEmpty()) {
						if (lane.hasUncommitted()) {
							// nothing to send right now: settle the last messages rather than hold them in SENDING
							lane.commit(clock.instant());
						}
						else if (closing && queue.isEmpty() && parked.isEmpty()) {
							return;
						}
						continue;
					}
					Set<String> claimed = lane.claim(batch.stream().map(PreparedMessage::accountId).toList(),
							clock.instant());
					batch.removeIf(message -> !claimed.contains(message.accountId()));
					Iterator<PreparedMessage> unsent = batch.iterator();
					while (unsent.hasNext() && !mustStop()) {
						PreparedMessage message = unsent.next();
						if (session == null) {
							session = transport.openSession();
						}
						lane.sending(message.accountId());
						// from here the message may reach the server: whatever fails next, it is never released
						// to PENDING, it stays SENDING and the next run holds it IN_DOUBT
						unsent.remove();
						lane.settled(sender.send(session, message), clock.instant());
					}
					// a stop leaves the rest of the batch PENDING for the next run, as if it had never been claimed
					batch.forEach(message -> lane.release(message.accountId()));
					batch.clear();
				}
			}
			finally {
				batch.forEach(message -> lane.release(message.accountId()));
				lane.commit(clock.instant());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			laneFailure.compareAndSet(null, ex);
		}
		finally {
			if (session != null) {
				session.close();
			}
		}
	}

	/**
	 * Takes the next messages whose domains have room, as many as are ready up to the batch size.
	 * @param mayWait whether the lane has nothing to settle, so it can wait a moment for work
	 */
	private void gather(List<PreparedMessage> batch, boolean mayWait) throws InterruptedException {
		int limit = batchLimit();
		while (batch.size() < limit && !mustStop()) {
			PreparedMessage message = next(mayWait && batch.isEmpty());
			if (message == null) {
				return;
			}
			if (parked.admit(message, this::mustStop)) {
				batch.add(message);
			}
		}
	}

	/** A throttled run claims only what a lane sends in a moment, so a slow send holds few rows in SENDING. */
	private int batchLimit() {
		double perSecond = rate.current();
		if (perSecond <= 0) {
			return MAX_BATCH;
		}
		return (int) Math.max(1, Math.min(MAX_BATCH, perSecond * BATCH_SECONDS / settings.connections()));
	}

	/** @param mayWait whether the lane may wait a moment for work */
	private PreparedMessage next(boolean mayWait) throws InterruptedException {
		PreparedMessage due = parked.due();
		if (due != null) {
			return due;
		}
		T item = queue.poll();
		if (item == null && mayWait) {
			item = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
		}
		return item == null ? null : preparer.apply(item);
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		boolean ended = !stepExecution.isTerminateOnly() && stepExecution.getFailureExceptions().isEmpty();
		if (ended) {
			closing = true;
		}
		else {
			stopping = true;
		}
		awaitLanes();
		lanes.shutdownNow();
		heartbeat.shutdownNow();
		retireSender();
		Exception failure = laneFailure.get();
		if (!ended) {
			return null;
		}
		if (failure != null) {
			log.warn("Delivery stopped: {}", failure.getMessage());
			return ExitStatus.FAILED.addExitDescription(failure);
		}
		if (breaker.isOpen()) {
			DeliveryHaltedException halted = halted();
			log.warn(halted.getMessage());
			return ExitStatus.FAILED.addExitDescription(halted.getMessage());
		}
		return null;
	}

	private void retireSender() {
		try {
			senders.retire(incidentId, senderId);
		}
		catch (RuntimeException ex) {
			// still registered: once this process has exited, the next run finds the sender gone and settles its
			// rows from the same journals
			log.warn("Could not settle this run's last messages: {}", ex.getMessage());
		}
	}

	/** Every lane records its last outcome before the step ends, so nothing this process ran stays in SENDING. */
	private void awaitLanes() {
		for (Future<?> lane : running) {
			try {
				lane.get();
			}
			catch (InterruptedException ex) {
				stopping = true;
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException ex) {
				laneFailure.compareAndSet(null, ex.getCause() instanceof Exception cause ? cause : ex);
			}
		}
	}

}
