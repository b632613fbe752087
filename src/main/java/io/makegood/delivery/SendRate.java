package io.makegood.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * How fast a run may send: a global rate and optional per-recipient-domain rates (each shared by every process
 * of the incident when its bucket lives in PostgreSQL), and an adaptive ceiling that halves when a server answers
 * "slow down" (421/454/throttling) and creeps back up while sending goes well.
 */
public final class SendRate {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** One "slow down" episode halves the ceiling once, however many replies say it within this time. */
	private static final Duration STEP = Duration.ofSeconds(1);

	private static final double FLOOR = 1.0;

	/** Creates a rate's bucket: local, or a proxy to a bucket shared through the database. */
	public interface BucketSource {

		/** @param scope {@code ""} for the global rate, else the recipient domain the rate is for */
		Bucket bucket(String scope, BucketConfiguration configuration);

	}

	private final double configured;

	private final Map<String, Double> domainRates;

	private final Map<String, Bucket> domainBuckets = new ConcurrentHashMap<>();

	private final BucketSource buckets;

	private final Bucket global;

	private volatile double current;

	private long lastChangeNanos = System.nanoTime() - STEP.toNanos();

	private long sentSinceMark;

	private long markNanos = System.nanoTime();

	private double observed;

	/** @param rate messages per second; 0 means no global limit until a server asks to slow down */
	public SendRate(double rate, Map<String, Double> domainRates, BucketSource buckets) {
		this.configured = rate;
		this.current = rate;
		this.domainRates = Map.copyOf(domainRates);
		this.buckets = buckets;
		this.global = buckets.bucket("", configuration(rate > 0 ? rate : 1_000_000));
	}

	public static SendRate local(double rate, Map<String, Double> domainRates) {
		return new SendRate(rate, domainRates, (scope, config) -> Bucket.builder()
			.addLimit(config.getBandwidths()[0])
			.withNanosecondPrecision()
			.build());
	}

	/**
	 * Burst of a twentieth of a second, so a receiver sees a steady stream rather than spikes: no one-second
	 * window ever holds more than the rate plus five percent.
	 */
	static BucketConfiguration configuration(double perSecond) {
		long burst = Math.max(1L, (long) Math.floor(perSecond / 20));
		long periodNanos = Math.max(1L, Math.round(burst * NANOS_PER_SECOND / perSecond));
		return BucketConfiguration.builder()
			.addLimit(limit -> limit.capacity(burst).refillGreedy(burst, Duration.ofNanos(periodNanos)))
			.build();
	}

	/**
	 * Takes a permit for one message to {@code recipient}.
	 * @return 0 when the message may go now, otherwise how many nanoseconds its domain needs before it may
	 * (the caller sends something else meanwhile, so one slow domain does not hold up the others)
	 */
	public long tryAcquire(String recipient) throws InterruptedException {
		long wait = tryAcquireDomain(recipient);
		if (wait == 0) {
			acquireGlobal();
		}
		return wait;
	}

	/** The domain part alone: 0 when the recipient's domain has room now, else nanoseconds until it has. */
	public long tryAcquireDomain(String recipient) {
		String domain = domainOf(recipient);
		Double domainRate = domainRates.get(domain);
		if (domainRate == null) {
			return 0;
		}
		Bucket bucket = domainBuckets.computeIfAbsent(domain, d -> buckets.bucket(d, configuration(domainRate)));
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
	}

	/** Waits for the global permit; taken only for a message this process has claimed, so none is wasted. */
	public void acquireGlobal() throws InterruptedException {
		if (current > 0) {
			global.asBlocking().consume(1);
		}
	}

	/** A server asked us to slow down: halve the ceiling for everyone, once per episode. */
	public synchronized void slowDown() {
		if (current > 0 && System.nanoTime() - lastChangeNanos < STEP.toNanos()) {
			return;
		}
		double base = current > 0 ? current : Math.max(observed, 10);
		current = Math.max(FLOOR, base / 2);
		lastChangeNanos = System.nanoTime();
		global.replaceConfiguration(configuration(current), TokensInheritanceStrategy.PROPORTIONALLY);
	}

	/** Sending went well: after a quiet spell, raise the ceiling again towards the configured rate. */
	public synchronized void recordSuccess() {
		long now = System.nanoTime();
		sentSinceMark++;
		if (now - markNanos >= NANOS_PER_SECOND) {
			observed = sentSinceMark * (double) NANOS_PER_SECOND / (now - markNanos);
			sentSinceMark = 0;
			markNanos = now;
		}
		if (current <= 0 || (configured > 0 && current >= configured)
				|| now - lastChangeNanos < STEP.toNanos()) {
			return;
		}
		double raised = current * 1.5;
		current = configured > 0 ? Math.min(configured, raised) : raised;
		lastChangeNanos = now;
		global.replaceConfiguration(configuration(current), TokensInheritanceStrategy.PROPORTIONALLY);
	}

	/** The ceiling now in force; 0 when unthrottled. */
	public double current() {
		return current;
	}

	public double configured() {
		return configured;
	}

	static String domainOf(String recipient) {
		int at = recipient.lastIndexOf('@');
		return at < 0 ? "" : recipient.substring(at + 1).toLowerCase(Locale.ROOT);
	}

}
