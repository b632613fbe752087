package io.makegood.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.makegood.ops.ExitCodes;
import io.makegood.support.CsvIncident;
import io.makegood.support.FaultySmtpServer;
import io.makegood.support.FaultySmtpServer.Arrival;
import io.makegood.support.FaultySmtpServer.Fault;
import io.makegood.support.Makegood;
import io.makegood.support.PackagedMakegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes deliver one incident against PostgreSQL: the packaged app runs it, and a second process joins
 * with {@code deliver}. Together they keep the incident's one global rate, and no message goes out twice.
 */
class TwoProcessDeliveryIT {

	@TempDir
	Path dir;

	@Test
	void twoProcessesShareTheGlobalRateAndSendNothingTwice() throws Exception {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> recipients = IntStream.range(0, 1500).mapToObj("customer-%05d@example.org"::formatted).toList();
		CsvIncident incident = CsvIncident.write(dir, "two-senders", recipients, """
				delivery:
				  rate: 100/s
				""");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(r -> Fault.NONE);
				PackagedMakegood.Child child = PackagedMakegood.on(db, Path.of("target", "it-two-senders"))
					.smtp(smtp.port())
					.start("run", "run", incident.spec().toAbsolutePath().toString())) {
			awaitAccepted(smtp, 50, Duration.ofMinutes(3));

			int joined = Makegood.on(db, dir).smtp(smtp.port()).run("deliver", "two-senders");

			assertThat(child.waitFor(180)).as(child.output()).isEqualTo(ExitCodes.DONE);
			assertThat(joined).isIn(ExitCodes.DONE, ExitCodes.FAILED);
			assertThat(smtp.totalAccepted()).isEqualTo(1500);
			assertThat(smtp.acceptedPerRecipient().values()).allMatch(count -> count.get() == 1);
			assertThat(db.jdbc().queryForObject("select count(distinct claimed_by) from mg_outbox"
					+ " where incident_id = 'two-senders' and status = 'SENT'", Long.class)).as("senders").isEqualTo(2);
			List<Arrival> arrivals = smtp.arrivals();
			double seconds = (arrivals.get(arrivals.size() - 1).nanoTime() - arrivals.get(0).nanoTime()) / 1e9;
			assertThat(seconds).as("1,500 messages at 100/s, whoever sends them").isBetween(14.25, 15.75);
			assertThat(DeliveryEngineTest.busiestSecond(arrivals)).isLessThanOrEqualTo(110);
		}
	}

	private static void awaitAccepted(FaultySmtpServer smtp, int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (smtp.totalAccepted() < count) {
			assertThat(System.nanoTime()).as("the packaged app started delivering").isLessThan(deadline);
			Thread.sleep(100);
		}
	}

}
