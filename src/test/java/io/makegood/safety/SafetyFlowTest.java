package io.makegood.safety;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.ops.ExitCodes;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The safety steps hold on every path that sends: a guard that errs, a stop, and a delivery pass. */
class SafetyFlowTest {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@TempDir
	Path dir;

	SafetyFixture fixture;

	Makegood makegood;

	@BeforeEach
	void setUp() {
		TestDatabases.Database database = TestDatabases.postgres();
		makegood = Makegood.on(database, dir).smtp(smtp.getSmtp().getPort());
		assertThat(makegood.run("status")).isZero();
		fixture = new SafetyFixture(database, dir);
	}

	/** An error on the guard's way to a decision is not a yes: nothing is credited or sent. */
	@Test
	void aGuardThatFailsStopsTheRun() {
		fixture.accounts("G", 12, "all");
		Path spec = fixture.spec("guard-error", "all", "approval: required\n");
		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.REFUSED);
		// the approvals lookup now fails, as it would on a database error in the middle of the guard
		fixture.jdbc.execute("alter table mg_approval rename to mg_approval_gone");

		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.FAILED);

		assertThat(fixture.count("select count(*) from mg_credit")).isZero();
		assertThat(fixture.count("select count(*) from mg_outbox")).isZero();
		assertThat(smtp.getReceivedMessages()).isEmpty();
	}

	/** `stop` also halts a delivery pass (here `resolve --resend`), which takes no run lock. */
	@Test
	void stopHaltsADeliveryPass() throws Exception {
		fixture.accounts("D", 60, "all");
		assertThat(makegood.run("run", fixture.spec("resent-1", "all", null).toString())).isZero();
		int firstCopies = smtp.getReceivedMessages().length;
		fixture.jdbc.update("update mg_outbox set status = 'IN_DOUBT' where incident_id = 'resent-1'");
		Makegood slow = makegood.with("--makegood.delivery.rate=4", "--makegood.delivery.chunk-size=5",
				"--makegood.delivery.connections=1");
		CompletableFuture<Integer> resend = CompletableFuture
			.supplyAsync(() -> slow.run("resolve", "resent-1", "--resend"));
		while (smtp.getReceivedMessages().length < firstCopies + 10) {
			Thread.sleep(20);
		}

		assertThat(makegood.run("stop", "resent-1")).isEqualTo(ExitCodes.DONE);

		int resentWhenStopped = smtp.getReceivedMessages().length - firstCopies;
		assertThat(resend.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.STOPPED);
		assertThat(smtp.getReceivedMessages().length - firstCopies).as("nothing sent after stop returned")
			.isEqualTo(resentWhenStopped)
			.isLessThan(60);
		assertThat(fixture.count("select count(*) from mg_outbox where incident_id = 'resent-1' and status = 'PENDING'"))
			.isEqualTo(60 - resentWhenStopped);
	}

	/**
	 * A stopped send (say it went to the wrong people) is held: the nightly run and release-capped leave it alone,
	 * and only an operator's run sends the rest.
	 */
	@Test
	void aStoppedIncidentIsHeldUntilAnOperatorRunsItAgain() throws Exception {
		fixture.accounts("H", 40, "all");
		Path spec = fixture.spec("held-1", "all", null);
		Makegood slow = makegood.with("--makegood.delivery.rate=4", "--makegood.delivery.chunk-size=5",
				"--makegood.delivery.connections=1");
		CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> slow.run("run", spec.toString()));
		while (smtp.getReceivedMessages().length < 5) {
			Thread.sleep(20);
		}
		assertThat(makegood.run("stop", "held-1")).isEqualTo(ExitCodes.DONE);
		assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.STOPPED);
		int sentBeforeStop = smtp.getReceivedMessages().length;
		assertThat(sentBeforeStop).isLessThan(40);

		assertThat(makegood.run("nightly")).isEqualTo(ExitCodes.DONE);
		assertThat(makegood.run("release-capped")).isEqualTo(ExitCodes.DONE);
		assertThat(smtp.getReceivedMessages()).as("nothing more sent by the automatic runs").hasSize(sentBeforeStop);

		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.DONE);
		assertThat(smtp.getReceivedMessages()).hasSize(40);
		assertThat(fixture.count("select count(*) from mg_incident_event where incident_id = 'held-1'"
				+ " and kind = 'RESUMED'")).isEqualTo(1);
	}

	@Test
	void stopOfAnUnknownIncidentIsInvalidInput() {
		assertThat(makegood.run("stop", "no-such-incident")).isEqualTo(ExitCodes.INVALID);
	}

	/**
	 * A delivery pass may start before the run's own cap step (`deliver` joining a run): it applies the cap
	 * itself. Here the second incident's rows are put back as they are between its grant and its cap step.
	 */
	@Test
	void aDeliveryPassAppliesTheFrequencyCap() {
		fixture.accounts("C", 5, "all");
		assertThat(makegood.run("run", fixture.spec("cap-a", "all", null).toString())).isZero();
		assertThat(makegood.run("run", fixture.spec("cap-b", "all", null).toString())).isZero();
		fixture.jdbc.update("update mg_outbox set status = 'PENDING', last_error = null where incident_id = 'cap-b'");

		assertThat(makegood.run("deliver", "cap-b")).isEqualTo(ExitCodes.DONE);

		assertThat(smtp.getReceivedMessages()).as("cap-a's five messages only").hasSize(5);
		assertThat(fixture.count("select count(*) from mg_outbox where incident_id = 'cap-b' and status = 'CAPPED'"))
			.isEqualTo(5);
	}

}
