package io.makegood.credit.claim;

import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.credit.CreditExport;
import io.makegood.credit.claim.ClaimScenario.Server;
import io.makegood.credit.claim.ClaimScenario.Visitor;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A claim-link incident end to end on PostgreSQL: sent over SMTP to GreenMail, links read from the received
 * messages and claimed over HTTP against the running claim server.
 */
class ClaimLinkEndToEndTest {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withPerMethodLifecycle(false);

	static final String INCIDENT = "claim-e2e";

	@TempDir
	static Path work;

	static TestDatabases.Database database;

	static Server server;

	static JdbcTemplate jdbc;

	static MimeMessage[] received;

	@BeforeAll
	static void sendIncident() throws Exception {
		database = TestDatabases.postgres();
		jdbc = database.jdbc();
		server = ClaimScenario.serve(database, "--makegood.claims.attempts-per-minute=100000");
		Path spec = ClaimScenario.incident(work, INCIDENT, "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"C1,one@example.org", "C2,two@example.org", "C3,three@example.org", "C4,four@example.org");
		int exit = Makegood.on(database, work)
			.smtp(greenMail.getSmtp().getPort())
			.with("--makegood.public-base-url=" + server.baseUrl() + "/")
			.run("run", spec.toString());
		assertThat(exit).isZero();
		received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(4);
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void linkFromTheMailboxClaimsOnceAndOnlyOnPost() throws Exception {
		String link = ClaimScenario.link(ClaimScenario.messageTo(received, "one@example.org"));
		assertThat(link).startsWith(server.baseUrl() + "/claim/");
		Visitor visitor = new Visitor();

		HttpResponse<String> page = visitor.get(link);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Your credit is ready", "Apply my credit", "$0.45", "C1")
			.doesNotContain("one@example.org");
		visitor.get(link);
		assertThat(status("C1")).as("GET changes nothing").isEqualTo("CLAIMABLE");

		HttpResponse<String> forged = visitor.post(link, null);
		assertThat(forged.statusCode()).as("POST without the page's CSRF token").isEqualTo(403);
		assertThat(status("C1")).isEqualTo("CLAIMABLE");

		HttpResponse<String> claimed = visitor.post(link);
		assertThat(claimed.statusCode()).isEqualTo(200);
		assertThat(claimed.body()).contains("Done: your credit is applied");
		Map<String, Object> row = jdbc.queryForMap(
				"select status, claimed_at from mg_credit where incident_id = ? and account_id = 'C1'", INCIDENT);
		assertThat(row.get("status")).isEqualTo("CLAIMED");
		assertThat(row.get("claimed_at")).isNotNull();

		HttpResponse<String> again = visitor.post(link);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("already applied on").doesNotContain("Done: your credit is applied");
		assertThat(new Visitor().get(link).body()).contains("already applied on");

		StringWriter csv = new StringWriter();
		new CreditExport(database.dataSource()).export(INCIDENT, csv);
		assertThat(csv.toString()).contains(INCIDENT + "/C1," + INCIDENT + ",C1,PERCENT_OF_FEE,0.45,USD,,CLAIMED")
			.doesNotContain(",C2,");
	}

	@Test
	void hundredConcurrentClaimsApplyTheCreditOnce() throws Exception {
		String link = ClaimScenario.link(ClaimScenario.messageTo(received, "two@example.org"));
		Visitor visitor = new Visitor();
		visitor.get(link);
		ExecutorService pool = Executors.newFixedThreadPool(32);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			responses.add(pool.submit(() -> {
				start.await();
				return visitor.post(link);
			}));
		}
		start.countDown();
		int applied = 0;
		int already = 0;
		for (Future<HttpResponse<String>> response : responses) {
			HttpResponse<String> page = response.get();
			assertThat(page.statusCode()).isEqualTo(200);
			applied += page.body().contains("Done: your credit is applied") ? 1 : 0;
			already += page.body().contains("already applied on") ? 1 : 0;
		}
		pool.shutdown();
		assertThat(applied).isEqualTo(1);
		assertThat(already).isEqualTo(99);
		assertThat(status("C2")).isEqualTo("CLAIMED");
	}

	@Test
	void tokensAreStoredOnlyAsHashes() {
		String token = ClaimScenario.tokenOf(ClaimScenario.link(ClaimScenario.messageTo(received, "three@example.org")));
		assertThat(token).hasSize(43);
		assertThat(jdbc.queryForObject("select count(*) from mg_claim_token where incident_id = ?", Integer.class,
				INCIDENT)).isEqualTo(4);
		List<Map<String, Object>> rows = jdbc.queryForList("select * from mg_claim_token");
		assertThat(rows.toString()).doesNotContain(token);
		assertThat(jdbc.queryForObject("select account_id from mg_claim_token where token_hash = ?", String.class,
				ClaimTokens.hash(token))).isEqualTo("C3");
		assertThat(jdbc.queryForObject("select expires_at from mg_claim_token where account_id = 'C3'",
				java.sql.Timestamp.class)).isEqualTo(jdbc.queryForObject(
						"select expires_at from mg_credit where incident_id = ? and account_id = 'C3'",
						java.sql.Timestamp.class, INCIDENT));
	}

	@Test
	void unknownExpiredAndRevokedLinksGetTheirOwnPages() {
		Visitor visitor = new Visitor();
		HttpResponse<String> unknown = visitor.get(server.baseUrl() + "/claim/" + "A".repeat(43));
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("We could not find this link");
		assertThat(visitor.get(server.baseUrl() + "/claim/not-a-token").statusCode()).isEqualTo(404);

		// each visitor opened its link while it was still good, so its POST carries a valid CSRF token
		String expiring = ClaimScenario.link(ClaimScenario.messageTo(received, "four@example.org"));
		Visitor late = new Visitor();
		assertThat(late.get(expiring).statusCode()).isEqualTo(200);
		jdbc.update("update mg_credit set expires_at = current_timestamp - interval '1' hour "
				+ "where incident_id = ? and account_id = 'C4'", INCIDENT);
		HttpResponse<String> expired = late.get(expiring);
		assertThat(expired.statusCode()).isEqualTo(410);
		assertThat(expired.body()).contains("This link has expired");
		assertThat(late.post(expiring).statusCode()).isEqualTo(410);
		assertThat(status("C4")).isEqualTo("CLAIMABLE");

		String revokedLink = ClaimScenario.link(ClaimScenario.messageTo(received, "three@example.org"));
		Visitor mistaken = new Visitor();
		assertThat(mistaken.get(revokedLink).statusCode()).isEqualTo(200);
		assertThat(Makegood.on(database, work).run("revoke", INCIDENT, "--account", "C3")).isZero();
		assertThat(status("C3")).isEqualTo("REVOKED");
		assertThat(jdbc.queryForList(
				"select detail from mg_incident_event where incident_id = ? and kind = 'CREDITS_REVOKED'", String.class,
				INCIDENT)).containsExactly("1 unclaimed credit(s) revoked (account C3)");
		HttpResponse<String> revoked = mistaken.get(revokedLink);
		assertThat(revoked.statusCode()).isEqualTo(410);
		assertThat(revoked.body()).contains("This credit has been withdrawn");
		HttpResponse<String> revokedPost = mistaken.post(revokedLink);
		assertThat(revokedPost.statusCode()).isEqualTo(410);
		assertThat(revokedPost.body()).contains("This credit has been withdrawn");
		assertThat(status("C3")).isEqualTo("REVOKED");
	}

	@Test
	void actuatorHealthStaysReachable() {
		assertThat(new Visitor().get(server.baseUrl() + "/actuator/health").statusCode()).isEqualTo(200);
	}

	private static String status(String account) {
		return jdbc.queryForObject("select status from mg_credit where incident_id = ? and account_id = ?",
				String.class, INCIDENT, account);
	}

}
