package io.makegood.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The counters and timers makegood publishes, tagged by incident. No addresses ever become tags. */
public class MakegoodMetrics {

	private final MeterRegistry registry;

	private final Map<String, Counter> messageCounters = new ConcurrentHashMap<>();

	private final Map<String, Timer> sendTimers = new ConcurrentHashMap<>();

	public MakegoodMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public void audience(String incident, long accepted, Map<String, Long> rejectsByReason, long suppressed) {
		registry.counter("makegood.audience.accounts", "incident", incident).increment(accepted);
		registry.counter("makegood.audience.suppressed", "incident", incident).increment(suppressed);
		rejectsByReason.forEach((reason, count) -> registry
			.counter("makegood.audience.rejects", "incident", incident, "reason", reason)
			.increment(count));
	}

	public void creditGranted(String incident, String currency, int count) {
		registry.counter("makegood.credits.granted", "incident", incident, "currency", currency == null ? "none" : currency)
			.increment(count);
	}

	/** Looked up once per incident and outcome: this is called for every message sent. */
	public Counter messages(String incident, String outcome) {
		return messageCounters.computeIfAbsent(incident + '\n' + outcome,
				key -> registry.counter("makegood.messages", "incident", incident, "outcome", outcome));
	}

	public void sendLatency(String incident, Duration latency) {
		sendTimers.computeIfAbsent(incident, key -> Timer.builder("makegood.send.latency")
			.tag("incident", incident)
			.publishPercentileHistogram()
			.register(registry)).record(latency);
	}

}
