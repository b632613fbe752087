package io.makegood.ops;

import java.util.Map;
import java.util.stream.Collectors;

import io.makegood.outbox.OutboxRepository.Reason;

/** The human summary printed at the end of a run and by {@code status}. */
final class ReportText {

	private ReportText() {
	}

	static String render(IncidentReport r) {
		StringBuilder out = new StringBuilder();
		out.append("Incident ").append(r.incidentId()).append(" — ").append(r.jobStatus()).append('\n');
		out.append("  audience:  ").append(r.audience().frozen()).append(" frozen, ")
			.append(r.audience().rejected()).append(" rejected").append(inline(r.audience().rejectsByReason()))
			.append(", ").append(r.audience().suppressed()).append(" suppressed, ")
			.append(r.audience().sharedAddressAccounts()).append(" sharing an address\n");
		out.append("  messages:  ").append(line(r.messagesByStatus())).append('\n');
		out.append("  accounts:  ").append(line(r.accountsByOutcome())).append('\n');
		out.append("  credits:   ").append(line(r.creditsByStatus()));
		if (!r.creditByCurrency().isEmpty()) {
			out.append("; total ")
				.append(r.creditByCurrency()
					.entrySet()
					.stream()
					.map(e -> e.getValue().toPlainString() + " " + e.getKey())
					.collect(Collectors.joining(", ")));
		}
		out.append('\n');
		out.append("  rate:      ").append(rate(r.rates().configured())).append(" configured");
		r.rates().domains().forEach((domain, perSecond) -> out.append(", ").append(domain).append(' ').append(rate(perSecond)));
		r.rates().live().forEach(sender -> out.append("; sending now: pid ").append(sender.pid()).append(" on ")
			.append(sender.host()).append(" at ").append(sender.currentRate() == null ? "?" : rate(sender.currentRate())));
		out.append('\n');
		for (Reason reason : r.topFailureReasons()) {
			out.append("  reason:    ").append(reason.count()).append(" × ").append(reason.reason()).append('\n');
		}
		r.events().forEach(e -> out.append("  event:     ").append(e.at()).append(' ').append(e.kind()).append(": ")
			.append(e.detail().replace("\n", "; ")).append('\n'));
		return out.toString();
	}

	private static String rate(double perSecond) {
		return perSecond <= 0 ? "unthrottled" : Math.round(perSecond * 10) / 10.0 + "/s";
	}

	private static String line(Map<String, Long> counts) {
		return counts.isEmpty() ? "none"
				: counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
	}

	private static String inline(Map<String, Long> counts) {
		return counts.isEmpty() ? "" : " (" + line(counts) + ")";
	}

}
