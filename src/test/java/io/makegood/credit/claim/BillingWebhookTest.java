package io.makegood.credit.claim;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.makegood.credit.CreditExport;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The billing webhook against a real local HTTP server that fails first, then accepts. */
class BillingWebhookTest {

	record Call(String idempotencyKey, String body) {
	}

	@TempDir
	Path work;

	HttpServer billing;

	final List<Call> calls = new CopyOnWriteArrayList<>();

	/** how many of the next requests answer 500 */
	final AtomicInteger failures = new AtomicInteger();

	@AfterEach
	void stop() {
		if (billing != null) {
			billing.stop(0);
		}
	}

	@Test
	void postsEachClaimedCreditOnceWithAStableKeyRetryingAfterA500() throws Exception {
		URI url = startBilling();
		TestDatabases.Database database = TestDatabases.postgres();
		JdbcTemplate jdbc = database.jdbc();
		Path spec = ClaimScenario.incident(work, "billed", "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"B1,b1@example.org", "B2,b2@example.org", "B3,b3@example.org");
		Makegood makegood = Makegood.on(database, work).with("--makegood.public-base-url=https://care.example.com");
		assertThat(makegood.run("run", spec.toString())).isZero();
		Clock clock = Clock.systemUTC();
		TransactionTemplate own = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
		own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		ClaimLinks links = new ClaimLinks(jdbc, own, new ClaimTokens(), "https://care.example.com", clock);
		BillingWebhook webhook = new BillingWebhook(jdbc, url, 4, Duration.ofMillis(20), Duration.ofSeconds(5), clock);
		ClaimService claims = new ClaimService(jdbc, clock, webhook::post);

		failures.set(1);
		assertThat(claims.claim(token(links, "B1")).appliedNow()).isTrue();
		assertThat(calls).extracting(Call::idempotencyKey).containsExactly("billed/B1", "billed/B1");
		assertThat(calls.get(1).body()).contains("\"accountId\":\"B1\"", "\"amount\":\"0.45\"", "\"currency\":\"USD\"",
				"\"status\":\"CLAIMED\"");
		assertThat(jdbc.queryForObject("select billed_at from mg_credit where account_id = 'B1'", Object.class))
			.isNotNull();

		assertThat(claims.claim(token(links, "B1")).appliedNow()).isFalse();
		assertThat(webhook.postPending()).as("B1 was acknowledged; nothing else is applied").isZero();
		assertThat(calls).hasSize(2);

		// billing down for every retry: the claim stands, and the nightly run posts it later
		failures.set(4);
		assertThat(claims.claim(token(links, "B2")).appliedNow()).isTrue();
		assertThat(calls).hasSize(6);
		assertThat(jdbc.queryForObject("select billed_at from mg_credit where account_id = 'B2'", Object.class)).isNull();
		assertThat(makegood.run("nightly", "--makegood.billing.webhook-url=" + url)).isZero();
		assertThat(calls).hasSize(7);
		assertThat(calls.get(6).idempotencyKey()).isEqualTo("billed/B2");
		assertThat(makegood.run("nightly", "--makegood.billing.webhook-url=" + url)).isZero();
		assertThat(calls).as("one acknowledged post per applied credit").hasSize(7);

		StringWriter csv = new StringWriter();
		new CreditExport(database.dataSource()).export("billed", csv);
		assertThat(csv.toString()).contains("billed/B1,", "billed/B2,").doesNotContain("billed/B3");
	}

	private static String token(ClaimLinks links, String account) {
		return ClaimScenario.tokenOf(links.issue("billed", account, "test", null));
	}

	private URI startBilling() throws IOException {
		billing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		billing.createContext("/credits", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			calls.add(new Call(exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
			int status = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		billing.start();
		return URI.create("http://127.0.0.1:" + billing.getAddress().getPort() + "/credits");
	}

}
