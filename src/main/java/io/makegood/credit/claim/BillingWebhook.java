package io.makegood.credit.claim;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * {@code Idempotency-Key: <incident>/<account>} (the same key as the billing CSV), so billing applies a credit
 * once however often it is posted. A failed post (connection error, 5xx, 408, 429) is retried with back-off;
 * a credit is marked {@code billed_at} only once billing answered 2xx, and the nightly run posts whatever is
 * still unmarked.
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
		List<Map<String, Object>> credits = jdbc.query(SELECT + " and incident_id = ? and account_id = ?",
				(rs, n) -> payload(rs), incidentId, accountId);
		return credits.isEmpty() || send(credits.get(0));
	}

	/** Posts every applied credit billing has not acknowledged yet. @return how many it acknowledged now */
	public int postPending() {
		List<Map<String, Object>> credits = jdbc.query(SELECT + " order by incident_id, account_id",
				(rs, n) -> payload(rs));
		int acknowledged = 0;
		for (Map<String, Object> credit : credits) {
			acknowledged += send(credit) ? 1 : 0;
		}
		return acknowledged;
	}

	private boolean send(Map<String, Object> credit) {
		String key = (String) credit.get("idempotencyKey");
		HttpRequest request = HttpRequest.newBuilder(url)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(credit)))
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
					Timestamp.from(clock.instant()), credit.get("incidentId"), credit.get("accountId"));
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

	private static Map<String, Object> payload(java.sql.ResultSet rs) throws java.sql.SQLException {
		String incidentId = rs.getString("incident_id");
		String accountId = rs.getString("account_id");
		String currency = rs.getString("currency") == null ? null : rs.getString("currency").trim();
		BigDecimal amount = rs.getBigDecimal("amount");
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("idempotencyKey", incidentId + "/" + accountId);
		payload.put("incidentId", incidentId);
		payload.put("accountId", accountId);
		payload.put("kind", rs.getString("kind"));
		payload.put("amount", amount == null ? null
				: currency == null ? amount.toPlainString() : Money.of(amount, currency).toPlainString());
		payload.put("currency", currency);
		payload.put("item", rs.getString("item"));
		payload.put("status", rs.getString("status"));
		Timestamp appliedAt = rs.getTimestamp("claimed_at") != null ? rs.getTimestamp("claimed_at")
				: rs.getTimestamp("created_at");
		payload.put("appliedAt", appliedAt.toInstant().toString());
		return payload;
	}

}
