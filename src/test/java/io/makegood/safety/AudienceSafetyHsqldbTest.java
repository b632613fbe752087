package io.makegood.safety;

import java.nio.file.Path;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.ops.ExitCodes;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The V5 migration and the guard, approval and cap SQL on the embedded default, HSQLDB. */
class AudienceSafetyHsqldbTest {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@TempDir
	Path dir;

	@Test
	void guardApprovalAndCapOnHsqldb() {
		TestDatabases.Database database = TestDatabases.hsqldb();
		Makegood makegood = Makegood.on(database, dir).smtp(smtp.getSmtp().getPort());
		assertThat(makegood.run("status")).isZero();
		SafetyFixture fixture = new SafetyFixture(database, dir).accounts("H", 6, "a");
		fixture.jdbc.update("update accounts set segment = 'b' where account_id = 'H-0006'");

		Path guarded = fixture.spec("h-1", "a", "guard: { expected: 2, max: 100 }\napproval: required\n");
		assertThat(makegood.run("run", guarded.toString())).isEqualTo(ExitCodes.REFUSED);
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		Path fixed = fixture.spec("h-1", "a", "guard: { expected: 5, max: 100 }\napproval: required\n");
		assertThat(makegood.run("run", fixed.toString(), "--approve", "0000000000000000")).isEqualTo(ExitCodes.REFUSED);
		Path out = dir.resolve("preview");
		assertThat(makegood.run("preview", fixed.toString(), "--out", out.toString())).isZero();
		String hash = readHash(out);
		assertThat(makegood.run("run", fixed.toString(), "--approve", hash)).isEqualTo(ExitCodes.DONE);
		assertThat(smtp.getReceivedMessages()).hasSize(5);

		// a second incident for the same accounts within 24 h: held, not sent
		fixture.jdbc.update("update accounts set segment = 'a' where account_id = 'H-0006'");
		assertThat(makegood.run("run", fixture.spec("h-2", "a", null).toString())).isZero();
		assertThat(smtp.getReceivedMessages()).hasSize(6);
		assertThat(fixture.count("select count(*) from mg_outbox where incident_id = 'h-2' and status = 'CAPPED'"))
			.isEqualTo(5);
		fixture.jdbc.update("update mg_outbox set sent_at = sent_at - interval '25' hour where incident_id = 'h-1'");
		assertThat(makegood.run("release-capped")).isZero();
		assertThat(smtp.getReceivedMessages()).hasSize(11);
	}

	@Test
	void anApprovalDoesNotCoverOtherFeesOrAddressesOnHsqldb() {
		TestDatabases.Database database = TestDatabases.hsqldb();
		Makegood makegood = Makegood.on(database, dir).smtp(smtp.getSmtp().getPort());
		assertThat(makegood.run("status")).isZero();
		SafetyFixture fixture = new SafetyFixture(database, dir).accounts("R", 6, "a");
		Path spec = fixture.spec("h-3", "a", "approval: required\n");
		Path out = dir.resolve("preview");
		assertThat(makegood.run("preview", spec.toString(), "--out", out.toString())).isZero();
		String approved = readHash(out);

		// the same six accounts, now worth a hundred times the credit and all merged into one message elsewhere
		fixture.jdbc.update("update accounts set monthly_fee = monthly_fee * 100, email = 'everyone@other.example'");
		assertThat(makegood.run("run", spec.toString(), "--approve", approved)).isEqualTo(ExitCodes.REFUSED);

		assertThat(fixture.jdbc.queryForObject("select exit_code from batch_step_execution where step_name = 'guard'"
				+ " order by step_execution_id desc fetch first 1 rows only", String.class)).isEqualTo("REFUSED");
		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	private static String readHash(Path out) {
		try {
			return tools.jackson.databind.json.JsonMapper.builder()
				.build()
				.readTree(java.nio.file.Files.readString(out.resolve("preview.json")))
				.get("planHash")
				.asString();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
