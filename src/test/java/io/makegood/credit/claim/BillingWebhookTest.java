package io.makegood.credit.claim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The billing webhook against a real local HTTP server on loopback. */
class BillingWebhookTest {

	record Call(String idempotencyKey, String body) {
	}

	static final String FIXED_5 = """
			kind: fixed
			amount: 5""";

	final JsonMapper json = JsonMapper.builder().build();

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
		assertThat(webhook.postPending()).as("B1 was acknowledged; nothing else is applied")
			.isEqualTo(new BillingWebhook.Billed(0, 0));
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

	@Test
	void anAccountIdBeyondLatin1IsPostedUnderAPercentEncodedKeyAndHoldsUpNobody() throws Exception {
		URI url = startBilling();
		TestDatabases.Database database = TestDatabases.postgres();
		Makegood makegood = Makegood.on(database, work);
		// credits are posted in incident order: the first incident's 用户2 used to make HttpClient refuse the
		// header, which ended the run before b-plain/B1 every night
		assertThat(makegood.run("run", ClaimScenario.incident(work, "a-wide", "streaming-outage", FIXED_5,
				"用户2,u2@example.org", "Zoé,zoe@example.org").toString())).isZero();
		assertThat(makegood.run("run",
				ClaimScenario.incident(work, "b-plain", "streaming-outage", FIXED_5, "B1,b1@example.org").toString()))
			.isZero();

		assertThat(makegood.run("nightly", "--makegood.billing.webhook-url=" + url)).isZero();

		assertThat(calls).extracting(Call::idempotencyKey)
			.containsExactlyInAnyOrder("a-wide/%E7%94%A8%E6%88%B72", "a-wide/Zo%C3%A9", "b-plain/B1");
		for (Call call : calls) {
			assertThat(percentDecoded(call.idempotencyKey())).as("the header decodes to the body's key")
				.isEqualTo(json.readValue(call.body(), Map.class).get("idempotencyKey"));
		}
		assertThat(calls).extracting(call -> percentDecoded(call.idempotencyKey()))
			.containsExactlyInAnyOrder("a-wide/用户2", "a-wide/Zoé", "b-plain/B1");
		StringWriter csv = new StringWriter();
		new CreditExport(database.dataSource()).export("a-wide", csv);
		assertThat(csv.toString()).as("the CSV's idempotency_key is the decoded header")
			.contains("\na-wide/Zoé,", "\na-wide/用户2,");
		assertThat(unbilled(database.jdbc())).isEmpty();

		assertThat(makegood.run("nightly", "--makegood.billing.webhook-url=" + url)).isZero();
		assertThat(calls).as("each credit acknowledged once, nothing posted again").hasSize(3);
	}

	@Test
	void aCreditThatCannotBePostedFailsTheNightWithoutHoldingUpTheOthersAndIsPostedOnceRepaired() throws Exception {
		URI url = startBilling();
		TestDatabases.Database database = TestDatabases.postgres();
		JdbcTemplate jdbc = database.jdbc();
		Makegood makegood = Makegood.on(database, work);
		assertThat(makegood.run("run", ClaimScenario.incident(work, "held", "streaming-outage", FIXED_5,
				"A1,a1@example.org", "B1,b1@example.org", "C1,c1@example.org").toString())).isZero();
		// a row its request cannot be built from: Money refuses the currency while the payload is made
		jdbc.update("update mg_credit set currency = 'ZZZ' where account_id = 'B1'");

		StringBuilder err = new StringBuilder();
		assertThat(run(makegood, err, "nightly", "--makegood.billing.webhook-url=" + url)).as("exit code").isOne();

		assertThat(calls).extracting(Call::idempotencyKey).containsExactly("held/A1", "held/C1");
		assertThat(unbilled(jdbc)).containsExactly("held/B1");
		assertThat(err).contains("bill: 1 credit(s) not acknowledged by billing");

		jdbc.update("update mg_credit set currency = 'USD' where account_id = 'B1'");
		assertThat(makegood.run("nightly", "--makegood.billing.webhook-url=" + url)).isZero();
		assertThat(calls).extracting(Call::idempotencyKey).containsExactly("held/A1", "held/C1", "held/B1");
		assertThat(unbilled(jdbc)).isEmpty();
	}

	private static String token(ClaimLinks links, String account) {
		return ClaimScenario.tokenOf(links.issue("billed", account, "test", null));
	}

	/** Runs a command with its standard error captured (each command takes System.err anew). */
	private static int run(Makegood makegood, StringBuilder err, String... command) {
		PrintStream original = System.err;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			return makegood.run(command);
		}
		finally {
			System.setErr(original);
			err.append(captured.toString(StandardCharsets.UTF_8));
		}
	}

	private static List<String> unbilled(JdbcTemplate jdbc) {
		return jdbc.queryForList("select incident_id || '/' || account_id from mg_credit where billed_at is null"
				+ " order by account_id", String.class);
	}

	/** What billing does with the header: RFC 3986 percent-decoding, then the bytes as UTF-8. */
	private static String percentDecoded(String header) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < header.length(); i++) {
			char c = header.charAt(i);
			assertThat(c).as("a header-safe character").isBetween(' ', '~');
			if (c == '%') {
				bytes.write(Integer.parseInt(header.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
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
