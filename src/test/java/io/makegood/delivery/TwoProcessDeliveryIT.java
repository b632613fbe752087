package io.makegood.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
				  rate: 50/s
				""");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(r -> Fault.NONE);
				PackagedMakegood.Child child = PackagedMakegood.on(db, Path.of("target", "it-two-senders"))
					.smtp(smtp.port())
					.start("run", "run", incident.spec().toAbsolutePath().toString())) {
			awaitAccepted(smtp, 50, Duration.ofMinutes(3));

			int joined = Makegood.on(db, dir).smtp(smtp.port()).run("deliver", "two-senders");

			assertThat(child.waitFor(240)).as(child.output()).isEqualTo(ExitCodes.DONE);
			assertThat(joined).isIn(ExitCodes.DONE, ExitCodes.FAILED);
			assertThat(smtp.totalAccepted()).isEqualTo(1500);
			assertThat(smtp.acceptedPerRecipient().values()).allMatch(count -> count.get() == 1);
			assertThat(db.jdbc().queryForObject("select count(distinct claimed_by) from mg_outbox"
					+ " where incident_id = 'two-senders' and status = 'SENT'", Long.class)).as("senders").isEqualTo(2);
			List<Arrival> arrivals = smtp.arrivals();
			double seconds = (arrivals.get(arrivals.size() - 1).nanoTime() - arrivals.get(0).nanoTime()) / 1e9;
			assertThat(seconds).as("1,500 messages can never go faster than 50/s").isGreaterThan(28.5);
			// the bucket allows a burst of a twentieth of a second; the rest is loopback scheduling jitter
			assertThat(DeliveryEngineTest.busiestSecond(arrivals)).isLessThanOrEqualTo(50 + 5);
			// While both processes send, together they keep the one global rate. (Before the second one is up,
			// its start-up competes with the first for the machine's two cores.)
			Map<String, Object> overlap = db.jdbc().queryForMap("""
					select max(first_sent) as from_at, min(last_sent) as to_at from (
					  select claimed_by, min(sent_at) as first_sent, max(sent_at) as last_sent from mg_outbox
					  where incident_id = 'two-senders' and status = 'SENT' group by claimed_by) s""");
			Instant from = ((Timestamp) overlap.get("from_at")).toInstant();
			Instant to = ((Timestamp) overlap.get("to_at")).toInstant();
			double overlapSeconds = Duration.between(from, to).toMillis() / 1000.0;
			assertThat(overlapSeconds).as("both processes sent together").isGreaterThan(3);
			long sentTogether = db.jdbc().queryForObject("select count(*) from mg_outbox where incident_id = 'two-senders'"
					+ " and sent_at >= ? and sent_at <= ?", Long.class, Timestamp.from(from), Timestamp.from(to));
			assertThat(sentTogether / overlapSeconds).as("messages per second while both send").isBetween(47.5, 52.5);
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
