package io.makegood.ops;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.makegood.incident.IncidentRepository.Event;
import io.makegood.outbox.OutboxRepository.Reason;
import io.makegood.outbox.Senders;

/**
 * Where every affected account of an incident stands. Accounts are counted once each: a rejected row, a
 * suppressed address or a message in doubt is reported, never dropped.
 */
public record IncidentReport(String incidentId, String jobStatus, Instant generatedAt, Audience audience,
		Map<String, Long> messagesByStatus, Map<String, Long> accountsByOutcome, Map<String, BigDecimal> creditByCurrency,
		Map<String, Long> creditsByStatus, List<Reason> topFailureReasons, List<Event> events, Rates rates) {

	/**
	 * @param configured messages per second from the spec or the default; 0 means unthrottled
	 * @param live the processes sending this incident now, with the ceiling each is using
	 */
	public record Rates(double configured, Map<String, Double> domains, List<Senders.Live> live) {
	}

	/**
	 * @param sharedAddressAccounts accounts whose credit is announced in the message of another account with
	 * the same address
	 */
	public record Audience(long frozen, Map<String, Long> rejectsByReason, long suppressed,
			long sharedAddressAccounts) {

		public long rejected() {
			return rejectsByReason.values().stream().mapToLong(Long::longValue).sum();
		}

	}

	public long unfinished() {
		return messagesByStatus.getOrDefault("PENDING", 0L) + messagesByStatus.getOrDefault("RETRY", 0L)
				+ messagesByStatus.getOrDefault("SENDING", 0L);
	}

}
