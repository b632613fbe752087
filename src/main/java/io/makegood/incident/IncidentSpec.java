package io.makegood.incident;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A validated incident spec. Its {@code id} is the idempotency key of the whole campaign: one snapshot, one
 * credit and at most one message per account, however many times it runs.
 *
 * @param sourceText the YAML as read, kept so a rerun can tell whether the spec was edited
 * @param baseDir directory of the spec file; relative paths in the spec resolve against it
 * @param guard the blast-radius limits the frozen audience must respect; {@link Guard#none()} when absent
 * @param approvalRequired {@code approval: required}: {@code run} needs {@code --approve <plan-hash>}
 */
public record IncidentSpec(String id, String title, Window window, Audience audience, Compensation compensation,
		Message message, Delivery delivery, String sourceText, Path baseDir, Guard guard, boolean approvalRequired) {

	public IncidentSpec {
		guard = guard == null ? Guard.none() : guard;
	}

	/** A spec without audience-safety settings (no guard, no approval required). */
	public IncidentSpec(String id, String title, Window window, Audience audience, Compensation compensation,
			Message message, Delivery delivery, String sourceText, Path baseDir) {
		this(id, title, window, audience, compensation, message, delivery, sourceText, baseDir, Guard.none(), false);
	}

	public record Window(Instant start, Instant end) {
	}

	/**
	 * @param source {@code sql} or {@code csv}
	 * @param query SQL with optional {@code :windowStart} / {@code :windowEnd} parameters (sql source)
	 * @param file CSV path, already resolved against the spec's directory (csv source)
	 * @param incident the earlier incident whose recipients are targeted (recipients-of source)
	 * @param statuses outbox statuses of that incident's messages that count as "mailed" (recipients-of source)
	 */
	public record Audience(String source, String query, Path file, String incident, List<String> statuses) {

		public Audience {
			statuses = statuses == null ? List.of() : List.copyOf(statuses);
		}

		public Audience(String source, String query, Path file) {
			this(source, query, file, null, List.of());
		}

	}

	/**
	 * Blast-radius limits on the frozen audience size (accepted accounts).
	 *
	 * @param expected the size the operator expects; null when not given
	 * @param tolerancePercent how far from {@code expected} the size may be, in percent of it
	 * @param max the size above which the run is always refused; null for no maximum
	 */
	public record Guard(Long expected, BigDecimal tolerancePercent, Long max) {

		public static Guard none() {
			return new Guard(null, null, null);
		}

	}

	/**
	 * @param percent for PERCENT_OF_FEE, 0..100
	 * @param amount for FIXED when one number serves every currency
	 * @param amounts for FIXED per ISO-4217 currency code; wins over {@code amount}
	 * @param item for COMPLIMENTARY, e.g. "one movie rental"
	 * @param expires how long the credit stays valid after the run grants it; null for never
	 */
	public record Compensation(CompensationKind kind, BigDecimal percent, BigDecimal amount,
			Map<String, BigDecimal> amounts, String item, ApplyMode apply, Duration expires) {

		public static Compensation none() {
			return new Compensation(CompensationKind.NONE, null, null, Map.of(), null, ApplyMode.AUTOMATIC, null);
		}

	}

	/**
	 * @param template name of a template directory holding subject, text and HTML Mustache templates
	 * @param from RFC 5322 mailbox, e.g. {@code "Example Streaming <care@example.com>"}
	 * @param replyTo optional RFC 5322 mailbox
	 */
	public record Message(String template, String from, String replyTo, String supportPhone) {
	}

	/**
	 * @param rate messages per second; null means the configured default
	 * @param domainRates messages per second per recipient domain (lower-case), e.g. gmail.com: 50
	 */
	public record Delivery(Double rate, Map<String, Double> domainRates) {

		public Delivery {
			domainRates = domainRates == null ? Map.of() : Map.copyOf(domainRates);
		}

		public Delivery(Double rate) {
			this(rate, Map.of());
		}

	}

}
