package io.makegood.safety;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.ops.ExitCodes;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill switch against a real child process running the packaged jar ({@code java -jar target/makegood.jar}),
 * with PostgreSQL and the SMTP server living in this test JVM: {@code stop} from another process and SIGTERM
 * both halt delivery within seconds, the job ends STOPPED, and a rerun mails every account exactly once.
 */
class StopIT {

	@RegisterExtension
	static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	static final int ACCOUNTS = 240;

	@TempDir
	Path dir;

	TestDatabases.Database database;

	SafetyFixture fixture;

	Makegood makegood;

	Path spec;

	@BeforeEach
	void setUp() {
		database = TestDatabases.postgres();
		makegood = Makegood.on(database, dir).smtp(smtp.getSmtp().getPort());
		assertThat(makegood.run("status")).isZero();
		fixture = new SafetyFixture(database, dir).accounts("K", ACCOUNTS, "all");
		// slow enough (about 8 s) that the stop lands in the middle of the send
		spec = fixture.spec("stop-1", "all", "delivery:\n  rate: 30/s\n");
	}

	@Test
	void stopFromAnotherProcessHaltsDeliveryAndRunResumesIt() throws Exception {
		Process child = startRun();
		awaitMessages(30, child);
		// --no-wait: the command returns once the stop is recorded, so the wait below measures the halt alone
		// (not this JVM's start-up of a second application context)
		assertThat(makegood.run("stop", "stop-1", "--no-wait")).isEqualTo(ExitCodes.DONE);
		assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the run halts within 5 s").isTrue();
		assertThat(child.exitValue()).isEqualTo(ExitCodes.STOPPED);
		assertStoppedThenResumes();
	}

	@Test
	void sigtermStopsGracefullyWithExitCode4AndRunResumesIt() throws Exception {
		Process child = startRun();
		awaitMessages(30, child);
		child.destroy(); // SIGTERM
		assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the run halts within 5 s").isTrue();
		assertThat(child.exitValue()).isEqualTo(ExitCodes.STOPPED);
		assertStoppedThenResumes();
	}

	private void assertStoppedThenResumes() throws Exception {
		int sentBeforeResume = smtp.getReceivedMessages().length;
		assertThat(sentBeforeResume).isLessThan(ACCOUNTS);
		assertThat(fixture.jdbc.queryForObject(
				"select status from batch_job_execution order by job_execution_id desc fetch first 1 rows only",
				String.class)).isEqualTo("STOPPED");
		Thread.sleep(500);
		assertThat(smtp.getReceivedMessages()).hasSize(sentBeforeResume); // nothing more after the halt

		assertThat(makegood.run("run", spec.toString())).isEqualTo(ExitCodes.DONE);
		MimeMessage[] received = smtp.getReceivedMessages();
		Set<String> recipients = new HashSet<>();
		for (MimeMessage message : received) {
			recipients.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
		}
		long inDoubt = fixture.count("select count(*) from mg_outbox where status = 'IN_DOUBT'");
		assertThat(received.length).as("one message per account").isEqualTo(recipients.size());
		assertThat(recipients.size() + inDoubt).isEqualTo(ACCOUNTS);
		assertThat(inDoubt).isZero(); // the stop lands between chunks, so nothing was left in flight
	}

	private Process startRun() throws Exception {
		Path jar = Path.of("target", "makegood.jar").toAbsolutePath();
		assertThat(jar).exists();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", jar.toString(), "run", spec.toString()));
		command.addAll(List.of(database.springArgs()));
		command.addAll(List.of("--makegood.delivery.transport=smtp", "--spring.mail.host=127.0.0.1",
				"--spring.mail.port=" + smtp.getSmtp().getPort(), "--makegood.reports=" + dir.resolve("reports"),
				"--makegood.delivery.chunk-size=10", "--makegood.delivery.connections=1"));
		return new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("child.log").toFile())
			.start();
	}

	private void awaitMessages(int count, Process child) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (smtp.getReceivedMessages().length < count) {
			if (!child.isAlive()) {
				throw new AssertionError("child ended early: " + Files.readString(dir.resolve("child.log")));
			}
			if (System.nanoTime() > deadline) {
				child.destroyForcibly();
				throw new AssertionError("no progress: " + Files.readString(dir.resolve("child.log")));
			}
			Thread.sleep(50);
		}
	}

}
