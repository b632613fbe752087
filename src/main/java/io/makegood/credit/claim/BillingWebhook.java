package io.makegood.credit.claim;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.makegood.credit.IdempotencyKey;
import io.makegood.credit.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts each applied credit (claimed, or applied automatically) to billing as JSON, with the header
 * {@code Idempotency-Key: <incident>/<account>} (the same key as the billing CSV, percent-encoded as
 * {@link IdempotencyKey} says), so billing applies a credit once however often it is posted. A failed post
 * (connection error, 5xx, 408, 429) is retried with back-off; a credit is marked {@code billed_at} only once
 * billing answered 2xx, and the nightly run posts whatever is still unmarked. A credit that cannot be posted,
 * whatever the reason, stays unmarked without holding up the others.
 */
public class BillingWebhook {

	private static final Logger log = LoggerFactory.getLogger(BillingWebhook.class);

	static final class RetryableBillingFailure extends RuntimeException {

		RetryableBillingFailure(String message) {
			super(message, null, false, false);
		}

	}

	private static final String SELECT = """
			select incident_id, account_id, kind, amount, currency, item, status, claimed_at, created_at
			from mg_credit
			where status in ('APPLIED', 'CLAIMED') and kind <> 'NONE' and billed_at is null""";

	private final JdbcTemplate jdbc;

	private final HttpClient http;

	private final URI url;

	private final Duration timeout;

	private final RetryTemplate retry;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * What one run posted.
	 * @param acknowledged credits billing answered 2xx for
	 * @param unacknowledged credits still unbilled: refused, billing unreachable, or the request could not be made
	 */
	public record Billed(int acknowledged, int unacknowledged) {
	}

	public BillingWebhook(JdbcTemplate jdbc, URI url, int attempts, Duration firstDelay, Duration timeout, Clock clock) {
		this.jdbc = jdbc;
		this.url = url;
		this.timeout = timeout;
		this.clock = clock;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(Math.max(0, attempts - 1))
			.delay(firstDelay)
			.multiplier(2)
			.maxDelay(firstDelay.multipliedBy(16))
			.includes(RetryableBillingFailure.class, IOException.class)
			.build());
	}

	/** @return true when billing acknowledged the credit (or it had been acknowledged before) */
	public boolean post(String incidentId, String accountId) {
		List<PendingCredit> credits = jdbc.query(SELECT + " and incident_id = ? and account_id = ?",
				(rs, n) -> PendingCredit.of(rs), incidentId, accountId);
		return credits.isEmpty() || post(credits.get(0));
	}

	/** Posts every applied credit billing has not acknowledged yet, each on its own. */
	public Billed postPending() {
		List<PendingCredit> credits = jdbc.query(SELECT + " order by incident_id, account_id",
				(rs, n) -> PendingCredit.of(rs));
		int acknowledged = 0;
		for (PendingCredit credit : credits) {
			acknowledged += post(credit) ? 1 : 0;
		}
		return new Billed(acknowledged, credits.size() - acknowledged);
	}

	// Whatever goes wrong with one credit, building its request included, must not keep the credits after it from
	// billing night after night: it stays unbilled (billed_at null), and the next nightly run posts it again.
	private boolean post(PendingCredit credit) {
		String key = IdempotencyKey.of(credit.incidentId(), credit.accountId());
		try {
			return send(key, credit);
		}
		catch (RuntimeException ex) {
			log.warn("Could not post credit {} to billing ({}); it stays unbilled and the nightly run posts it again",
					key, ex.toString());
			return false;
		}
	}

	private boolean send(String key, PendingCredit credit) {
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", IdempotencyKey.header(key))
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(payload(key, credit))))
			.build();
		try {
			int status = retry.execute(() -> {
				int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (code >= 500 || code == 408 || code == 429) {
					throw new RetryableBillingFailure("HTTP " + code);
				}
				return code;
			});
			if (status / 100 != 2) {
				log.warn("Billing refused credit {} with HTTP {}; it stays unbilled", key, status);
				return false;
			}
			jdbc.update("update mg_credit set billed_at = ? where incident_id = ? and account_id = ? and billed_at is null",
					Timestamp.from(clock.instant()), credit.incidentId(), credit.accountId());
			return true;
		}
		catch (RetryException ex) {
			if (ex.getLastException() instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			log.warn("Billing did not acknowledge credit {} ({}); the nightly run posts it again", key,
					String.valueOf(ex.getLastException()));
			return false;
		}
	}

	private static Map<String, Object> payload(String key, PendingCredit credit) {
		BigDecimal amount = credit.amount();
		String currency = credit.currency();
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("idempotencyKey", key);
		payload.put("incidentId", credit.incidentId());
		payload.put("accountId", credit.accountId());
		payload.put("kind", credit.kind());
		payload.put("amount", amount == null ? null
				: currency == null ? amount.toPlainString() : Money.of(amount, currency).toPlainString());
		payload.put("currency", currency);
		payload.put("item", credit.item());
		payload.put("status", credit.status());
		payload.put("appliedAt", credit.appliedAt().toInstant().toString());
		return payload;
	}

	/** A credit's row as read; turning it into a request happens per credit, where a failure stays its own. */
	private record PendingCredit(String incidentId, String accountId, String kind, BigDecimal amount, String currency,
			String item, String status, Timestamp appliedAt) {

		static PendingCredit of(ResultSet rs) throws SQLException {
			String currency = rs.getString("currency");
			Timestamp claimedAt = rs.getTimestamp("claimed_at");
			return new PendingCredit(rs.getString("incident_id"), rs.getString("account_id"), rs.getString("kind"),
					rs.getBigDecimal("amount"), currency == null ? null : currency.trim(), rs.getString("item"),
					rs.getString("status"), claimedAt != null ? claimedAt : rs.getTimestamp("created_at"));
		}

	}

}
