package io.makegood.credit.claim;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

import io.makegood.credit.claim.ClaimService.ClaimOutcome;
import io.makegood.credit.claim.ClaimService.State;
import io.makegood.ops.ExitCodes;
import io.makegood.support.FaultySmtpServer;
import io.makegood.support.FaultySmtpServer.Fault;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message left IN_DOUBT may have been delivered; a receiver that deduplicates by Message-ID then keeps that
 * first copy and drops the resend. So after {@code resolve --resend} the links of both copies must work, and
 * lead to the one credit.
 */
class ClaimLinkResendTest {

	@TempDir
	Path dir;

	@Test
	void bothCopiesOfAResentMessageLeadToTheOneCredit() throws MessagingException {
		TestDatabases.Database db = TestDatabases.postgres();
		Path spec = ClaimScenario.incident(dir, "resent", "streaming-outage", ClaimScenario.CLAIM_3_PERCENT_7_DAYS,
				"R1,r1@example.org", "R2,r2@example.org");
		try (FaultySmtpServer smtp = FaultySmtpServer
			.start(r -> r.equals("r2@example.org") ? Fault.DROP_AFTER_DATA_ONCE : Fault.NONE)) {
			Makegood makegood = Makegood.on(db, dir)
				.smtp(smtp.port())
				.with("--makegood.public-base-url=https://care.example.com");
			assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.DONE);
			assertThat(db.jdbc().queryForObject("select status from mg_outbox where incident_id = 'resent'"
					+ " and account_id = 'R2'", String.class)).isEqualTo("IN_DOUBT");
			assertThat(makegood.run("resolve", "resent", "--resend")).isEqualTo(ExitCodes.DONE);

			List<byte[]> copies = smtp.received("r2@example.org");
			assertThat(copies).as("the dropped copy and the resend").hasSize(2);
			String firstCopy = token(copies.get(0));
			String resend = token(copies.get(1));
			assertThat(firstCopy).isNotEqualTo(resend);

			ClaimService claims = new ClaimService(db.jdbc(), Clock.systemUTC(), (incident, account) -> {
			});
			assertThat(claims.look(resend).state()).isEqualTo(State.CLAIMABLE);
			assertThat(claims.claim(firstCopy).appliedNow()).as("the first copy's link").isTrue();
			ClaimOutcome again = claims.claim(resend);
			assertThat(again.appliedNow()).isFalse();
			assertThat(again.view().state()).isEqualTo(State.CLAIMED);
			assertThat(db.jdbc().queryForList("select status from mg_credit where incident_id = 'resent'"
					+ " and account_id = 'R2'", String.class)).containsExactly("CLAIMED");
		}
	}

	private static String token(byte[] data) throws MessagingException {
		MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
		return ClaimScenario.tokenOf(ClaimScenario.link(message));
	}

}
