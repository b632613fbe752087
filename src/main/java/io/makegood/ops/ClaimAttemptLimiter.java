package io.makegood.ops;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Claim page requests per client address: a token bucket per address (Bucket4j) refilled smoothly over a minute.
 * Guessing a 256-bit token is hopeless anyway; the limit keeps a scanner or a script from hammering the
 * database. Buckets live in memory, at most {@code maxClients} of them (least recently used evicted), so one
 * instance limits what it serves; behind a proxy, set server.forward-headers-strategy so the client's address
 * is the one counted.
 */
public class ClaimAttemptLimiter {

	private final int perMinute;

	private final Map<String, Bucket> buckets;

	public ClaimAttemptLimiter(int perMinute, int maxClients) {
		this.perMinute = perMinute;
		this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
				return size() > maxClients;
			}
		};
	}

	/** @return false when the address has used up its attempts for now */
	public boolean tryAttempt(String clientAddress) {
		Bucket bucket;
		synchronized (buckets) {
			bucket = buckets.computeIfAbsent(clientAddress, address -> Bucket.builder()
				.addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
				.build());
		}
		return bucket.tryConsume(1);
	}

}
