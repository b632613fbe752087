package io.makegood.delivery;

import java.time.Duration;

import io.github.bucket4j.Bucket;

/**
 * Holds sending to a fixed rate, shared by all threads of a run. The burst is kept to a tenth of a second's worth
 * of messages, so a receiving server sees a steady stream rather than a spike after each pause.
 */
public final class Throttle {

	private static final Throttle UNLIMITED = new Throttle(null);

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final Bucket bucket;

	private Throttle(Bucket bucket) {
		this.bucket = bucket;
	}

	/** @param rate permits per second, e.g. 0.5 for one every two seconds */
	public static Throttle perSecond(double rate) {
		if (!(rate > 0) || Double.isInfinite(rate)) {
			throw new IllegalArgumentException("Rate must be a positive number of messages per second: " + rate);
		}
		long burst = Math.max(1L, (long) Math.floor(rate / 10));
		long periodNanos = Math.max(1L, Math.round(burst * NANOS_PER_SECOND / rate));
		Bucket bucket = Bucket.builder()
			.addLimit((limit) -> limit.capacity(burst).refillGreedy(burst, Duration.ofNanos(periodNanos)))
			.withNanosecondPrecision()
			.build();
		return new Throttle(bucket);
	}

	public static Throttle unlimited() {
		return UNLIMITED;
	}

	/** Blocks until the next message may go. */
	public void acquire() throws InterruptedException {
		if (this.bucket != null) {
			this.bucket.asBlocking().consume(1);
		}
	}

	public boolean isUnlimited() {
		return this.bucket == null;
	}

}
