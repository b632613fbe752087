package io.makegood.delivery;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Messages set aside, unclaimed and still PENDING, while their recipient's domain is at its limit, so messages to
 * other domains are not held up behind them. Each comes back once its domain has room.
 */
final class ParkedMessages {

	/** A message whose domain was at its limit, and the moment it may be tried again. */
	private record Parked(PreparedMessage message, long dueNanos) implements Delayed {

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(dueNanos, ((Parked) other).dueNanos);
		}

	}

	private final DelayQueue<Parked> parked = new DelayQueue<>();

	private final SendRate rate;

	private final int capacity;

	/** @param capacity the most messages set aside; beyond it a lane waits for its domain itself */
	ParkedMessages(SendRate rate, int capacity) {
		this.rate = rate;
		this.capacity = capacity;
	}

	/** @return a message whose wait is over, or null */
	PreparedMessage due() {
		Parked due = parked.poll();
		return due == null ? null : due.message();
	}

	boolean isEmpty() {
		return parked.isEmpty();
	}

	void clear() {
		parked.clear();
	}

	/**
	 * Takes a permit of the message's domain, or sets the message aside until its domain has room.
	 * @param mustStop checked while the lane waits itself because too many messages are set aside already
	 * @return whether the message may be sent now
	 */
	boolean admit(PreparedMessage message, BooleanSupplier mustStop) {
		if (message.message() == null) {
			return true;
		}
		long wait;
		while ((wait = rate.tryAcquireDomain(message.message().recipient())) > 0) {
			if (parked.size() < capacity) {
				parked.add(new Parked(message, System.nanoTime() + wait));
				return false;
			}
			LockSupport.parkNanos(wait);
			if (mustStop.getAsBoolean()) {
				return false;
			}
		}
		return true;
	}

}
