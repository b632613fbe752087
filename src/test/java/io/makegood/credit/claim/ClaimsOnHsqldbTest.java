package io.makegood.credit.claim;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default (file HSQLDB, pickup directory): migration V4, claims, revoke and nightly. */
class ClaimsOnHsqldbTest {

	static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

	@TempDir
	Path work;

	@Test
	void claimRevokeAndNightlyWorkOnTheEmbeddedDatabase() {
		TestDatabases.Database database = TestDatabases.hsqldbFile(work.resolve("db"));
		Makegood makegood = Makegood.on(database, work).with("--makegood.public-base-url=https://care.example.com");
		Path spec = ClaimScenario.incident(work, "embedded", "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"H1,h1@example.org", "H2,h2@example.org", "H3,h3@example.org");
		assertThat(makegood.run("run", spec.toString(), "--makegood.clock-start=" + T0)).isZero();
		JdbcTemplate jdbc = database.jdbc();
		assertThat(jdbc.queryForObject("select count(*) from mg_claim_token", Integer.class)).isEqualTo(3);

		Clock dayOne = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
		TransactionTemplate own = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
		own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		ClaimLinks links = new ClaimLinks(jdbc, own, new ClaimTokens(), "https://care.example.com", dayOne);
		String token = ClaimScenario.tokenOf(links.issue("embedded", "H1", ClaimLinks.MESSAGE,
				T0.plus(Duration.ofDays(7))));
		ClaimService claims = new ClaimService(jdbc, dayOne, (incident, account) -> {
		});
		assertThat(claims.claim(token).appliedNow()).isTrue();
		assertThat(claims.claim(token).view().state()).isEqualTo(ClaimService.State.CLAIMED);
		assertThat(makegood.run("revoke", "embedded", "--account", "H2")).isZero();

		String night = "--makegood.clock-start=" + T0.plus(Duration.ofDays(6));
		assertThat(makegood.run("nightly", night)).isZero();
		assertThat(makegood.run("nightly", night)).isZero();
		assertThat(jdbc.queryForList("select account_id from mg_outbox where incident_id = 'embedded:reminder'",
				String.class)).containsExactly("H3");
		assertThat(jdbc.queryForObject("select status from mg_outbox where incident_id = 'embedded:reminder'",
				String.class)).isEqualTo("SENT");

		assertThat(makegood.run("nightly", "--makegood.clock-start=" + T0.plus(Duration.ofDays(8)))).isZero();
		assertThat(jdbc.queryForList("select status from mg_credit where incident_id = 'embedded' order by account_id",
				String.class)).containsExactly("CLAIMED", "REVOKED", "EXPIRED");
	}

}
