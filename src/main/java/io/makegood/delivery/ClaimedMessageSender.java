package io.makegood.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.OutboxRepository.Outcome;
import io.makegood.outbox.OutboxStatus;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Sends one message whose row a lane has claimed and turns whatever happens into the row's outcome: transient
 * failures are retried with back-off (Framework retry), "slow down" replies lower the run's rate, unknown
 * recipients are suppressed, and every attempt counts towards the circuit breaker. A message that could not be
 * rendered, or must not be sent after all, gets its outcome without reaching the transport.
 */
final class ClaimedMessageSender {

	/**
	 * How often one message may be told "slow down" before it waits as RETRY for a later run. A server that
	 * never stops saying it counts against the circuit breaker, so it cannot hold a run forever.
	 */
	private static final int MAX_THROTTLED_ATTEMPTS = 5;

	/** A transient outcome, thrown so Framework retry can back off and try again. */
	static final class TransientSendException extends RuntimeException {

		final SendOutcome outcome;

		TransientSendException(SendOutcome outcome) {
			super(outcome.reply(), null, false, false);
			this.outcome = outcome;
		}

	}

	/** Framework retry for transient outcomes: exponential back-off with jitter, then the row waits as RETRY. */
	static RetryPolicy transientRetry(int maxAttempts, Duration firstDelay) {
		return RetryPolicy.builder()
			.maxRetries(Math.max(0, maxAttempts - 1))
			.delay(firstDelay)
			.multiplier(2)
			.jitter(firstDelay.dividedBy(4))
			.maxDelay(firstDelay.multipliedBy(16))
			.includes(TransientSendException.class)
			.build();
	}

	private final String incidentId;

	private final SuppressionList suppressions;

	private final SendRate rate;

	private final CircuitBreaker breaker;

	private final RetryTemplate retry;

	private final Duration retryLater;

	private final MakegoodMetrics metrics;

	private final Clock clock;

	/** @param retryLater how long a row that ran out of transient attempts waits as RETRY */
	ClaimedMessageSender(String incidentId, SuppressionList suppressions, SendRate rate, CircuitBreaker breaker,
			RetryTemplate retry, Duration retryLater, MakegoodMetrics metrics, Clock clock) {
		this.incidentId = incidentId;
		this.suppressions = suppressions;
		this.rate = rate;
		this.breaker = breaker;
		this.retry = retry;
		this.retryLater = retryLater;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** A claimed row always gets an outcome, so nothing this process still runs is ever left in SENDING. */
	Outcome send(TransportSession session, PreparedMessage message) {
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
			return new Outcome(message.accountId(), OutboxStatus.IN_DOUBT,
					"transport error: " + SmtpReplies.replyText(ex, recipient(message)), null);
		}
	}

	private Outcome deliver(TransportSession session, PreparedMessage message) throws InterruptedException {
		// neither costs a permit nor counts towards the breaker: the mail server never sees it
		if (message.suppression() != null) {
			metrics.messages(incidentId, "suppressed").increment();
			return new Outcome(message.accountId(), OutboxStatus.SUPPRESSED, message.suppression(), null);
		}
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
					clock.instant().plus(retryLater));
		};
	}

	private static String recipient(PreparedMessage message) {
		return message.message() == null ? null : message.message().recipient();
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
			Throwable last = ex.getLastException();
			if (last instanceof TransientSendException transientFailure) {
				return transientFailure.outcome;
			}
			// anything else is a failure the transport could not classify, perhaps after the data went out: it
			// must not come back as a transient failure, which the next run would send again
			if (last instanceof RuntimeException unclassified) {
				throw unclassified;
			}
			if (last instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(last);
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

}
