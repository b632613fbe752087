package io.makegood.delivery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.makegood.ops.ExitCodes;
import io.makegood.support.CsvIncident;
import io.makegood.support.FaultySmtpServer;
import io.makegood.support.FaultySmtpServer.Arrival;
import io.makegood.support.FaultySmtpServer.Fault;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery engine against a real SMTP server on loopback that pushes back the way real mail infrastructure
 * does, with makegood run as an operator would run it, on PostgreSQL.
 */
class DeliveryEngineTest {

	private static final long SECOND = 1_000_000_000L;

	@TempDir
	Path dir;

	@Test
	void holdsTheGlobalRateWithinFivePercent() {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> recipients = addresses(1000, "example.org");
		CsvIncident incident = CsvIncident.write(dir, "rate-100", recipients, """
				delivery:
				  rate: 100/s
				""");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(r -> Fault.NONE)) {
			assertThat(makegood(db, smtp).run("run", incident.spec().toString())).isEqualTo(ExitCodes.DONE);

			List<Arrival> arrivals = smtp.arrivals();
			assertThat(arrivals).hasSize(1000);
			double seconds = (arrivals.get(arrivals.size() - 1).nanoTime() - arrivals.get(0).nanoTime()) / 1e9;
			assertThat(seconds).as("1,000 messages at 100/s").isBetween(9.5, 10.5);
			// the bucket allows a burst of a twentieth of a second; the rest is loopback scheduling jitter
			assertThat(busiestSecond(arrivals)).isLessThanOrEqualTo(100 + 10);
		}
	}

	@Test
	void aDomainAtItsLimitWaitsWhileOtherDomainsGoFaster() {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> recipients = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			recipients.add("slow-%03d@slow.test".formatted(i));
			recipients.addAll(List.of("a-%03d@fast.test".formatted(i), "b-%03d@fast.test".formatted(i),
					"c-%03d@fast.test".formatted(i)));
		}
		CsvIncident incident = CsvIncident.write(dir, "per-domain", recipients, """
				delivery:
				  domains: { slow.test: 20/s }
				""");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(r -> Fault.NONE)) {
			assertThat(makegood(db, smtp).run("run", incident.spec().toString())).isEqualTo(ExitCodes.DONE);

			Map<String, List<Arrival>> byDomain = smtp.arrivals()
				.stream()
				.collect(Collectors.groupingBy(Arrival::domain));
			List<Arrival> slow = byDomain.get("slow.test");
			List<Arrival> fast = byDomain.get("fast.test");
			assertThat(slow).hasSize(100);
			assertThat(fast).hasSize(300);
			assertThat(busiestSecond(slow)).as("slow.test per second").isLessThanOrEqualTo(20 + 2);
			assertThat(span(slow)).as("100 messages at 20/s").isGreaterThan(4.5);
			assertThat(300 / span(fast)).as("fast.test messages per second").isGreaterThan(3 * 20);
		}
	}

	@Test
	void seededFaultsEndInTheStatesTheyCallFor() {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> recipients = addresses(1000, "example.org");
		Random random = new Random(20261128);
		Map<String, Fault> faults = recipients.stream().collect(Collectors.toMap(r -> r, r -> {
			int roll = random.nextInt(100);
			return roll < 10 ? Fault.TRANSIENT_ONCE : roll < 12 ? Fault.UNKNOWN_USER : roll < 15 ? Fault.THROTTLE_ONCE
					: Fault.NONE;
		}));
		String dropped = recipients.stream().filter(r -> faults.get(r) == Fault.NONE).findFirst().orElseThrow();
		faults.put(dropped, Fault.DROP_AFTER_DATA_ONCE);
		CsvIncident incident = CsvIncident.write(dir, "faults", recipients, "");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(faults::get)) {
			int exit = makegood(db, smtp).with("--makegood.delivery.retry-delay=20ms").run("run", incident.spec().toString());

			assertThat(exit).isEqualTo(ExitCodes.DONE);
			Map<String, String> status = outboxStatusByRecipient(db, "faults");
			for (String recipient : recipients) {
				switch (faults.get(recipient)) {
					case TRANSIENT_ONCE, THROTTLE_ONCE, NONE -> {
						assertThat(smtp.accepted(recipient)).as(recipient).isEqualTo(1);
						assertThat(status.get(recipient)).as(recipient).isEqualTo("SENT");
					}
					case UNKNOWN_USER -> {
						assertThat(smtp.accepted(recipient)).as(recipient).isZero();
						assertThat(status.get(recipient)).as(recipient).isEqualTo("FAILED");
						assertThat(db.jdbc()
							.queryForObject("select count(*) from mg_suppression where email_key = ? and reason = 'BOUNCED'",
									Long.class, recipient)).as(recipient + " suppressed").isEqualTo(1);
					}
					case DROP_AFTER_DATA_ONCE -> {
						assertThat(smtp.accepted(recipient)).isZero();
						assertThat(status.get(recipient)).isEqualTo("IN_DOUBT");
					}
					default -> throw new IllegalStateException();
				}
			}
			assertThat(db.jdbc().queryForObject("select count(*) from mg_outbox where incident_id = 'faults'"
					+ " and status = 'FAILED' and last_error like '550%'", Long.class))
				.isEqualTo(faults.values().stream().filter(f -> f == Fault.UNKNOWN_USER).count());
			assertThat(db.jdbc().queryForObject("select count(*) from mg_credit where incident_id = 'faults'",
					Long.class)).isEqualTo(1000);
		}
	}

	@Test
	void aServerRefusingEverythingTripsTheBreakerBeforeFivePercentAreAttempted() {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> recipients = addresses(1000, "example.org");
		CsvIncident incident = CsvIncident.write(dir, "dead-relay", recipients, "");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(r -> Fault.REFUSE)) {
			int exit = makegood(db, smtp).run("run", incident.spec().toString());

			assertThat(exit).isEqualTo(ExitCodes.FAILED);
			assertThat(smtp.totalAttempts()).as("messages attempted").isLessThan(50);
			assertThat(db.jdbc().queryForObject("select count(*) from mg_outbox where incident_id = 'dead-relay'"
					+ " and status = 'PENDING'", Long.class)).as("left to resume").isGreaterThan(950);
		}
	}

	@Test
	void resolveResendsMessagesInDoubtOnceOrMarksThemSentWithoutSending() {
		TestDatabases.Database db = TestDatabases.postgres();
		List<String> first = addresses(20, "first.test");
		List<String> second = addresses(20, "second.test");
		List<String> dropped = List.of(first.get(3), first.get(11), second.get(5), second.get(17));
		CsvIncident resend = CsvIncident.write(dir, "resend", first, "");
		CsvIncident markSent = CsvIncident.write(dir, "mark-sent", second, "");
		try (FaultySmtpServer smtp = FaultySmtpServer.start(
				r -> dropped.contains(r) ? Fault.DROP_AFTER_DATA_ONCE : Fault.NONE)) {
			Makegood makegood = makegood(db, smtp).with("--makegood.frequency-cap.messages=0");
			assertThat(makegood.run("run", resend.spec().toString())).isEqualTo(ExitCodes.DONE);
			assertThat(makegood.run("run", markSent.spec().toString())).isEqualTo(ExitCodes.DONE);
			assertThat(outboxStatusByRecipient(db, "resend").values()).containsOnly("SENT", "IN_DOUBT");
			int before = smtp.totalAccepted();

			assertThat(makegood.run("resolve", "mark-sent", "--mark-sent")).isEqualTo(ExitCodes.DONE);
			assertThat(smtp.totalAccepted()).isEqualTo(before);
			assertThat(outboxStatusByRecipient(db, "mark-sent").values()).containsOnly("SENT");

			assertThat(makegood.run("resolve", "resend", "--resend")).isEqualTo(ExitCodes.DONE);
			assertThat(smtp.totalAccepted()).isEqualTo(before + 2);
			assertThat(smtp.accepted(first.get(3))).isEqualTo(1);
			assertThat(smtp.accepted(first.get(11))).isEqualTo(1);
			assertThat(outboxStatusByRecipient(db, "resend").values()).containsOnly("SENT");
			assertThat(db.jdbc().queryForList("select kind from mg_incident_event where incident_id in ('resend', 'mark-sent')"
					+ " order by kind", String.class)).containsExactly("RESOLVED_MARK_SENT", "RESOLVED_RESEND");

			assertThat(makegood.run("resolve", "resend", "--resend")).as("nothing left in doubt").isEqualTo(ExitCodes.DONE);
			assertThat(smtp.totalAccepted()).isEqualTo(before + 2);
		}
	}

	private Makegood makegood(TestDatabases.Database db, FaultySmtpServer smtp) {
		return Makegood.on(db, dir).smtp(smtp.port());
	}

	private static List<String> addresses(int count, String domain) {
		return IntStream.range(0, count).mapToObj(i -> "customer-%05d@%s".formatted(i, domain)).toList();
	}

	private static Map<String, String> outboxStatusByRecipient(TestDatabases.Database db, String incident) {
		return db.jdbc()
			.queryForList("select recipient, status from mg_outbox where incident_id = ?", incident)
			.stream()
			.collect(Collectors.toMap(row -> ((String) row.get("recipient")).toLowerCase(),
					row -> (String) row.get("status")));
	}

	/** The most messages that arrived within any one-second window. */
	static int busiestSecond(List<Arrival> arrivals) {
		int most = 0;
		int start = 0;
		for (int end = 0; end < arrivals.size(); end++) {
			while (arrivals.get(end).nanoTime() - arrivals.get(start).nanoTime() >= SECOND) {
				start++;
			}
			most = Math.max(most, end - start + 1);
		}
		return most;
	}

	private static double span(List<Arrival> arrivals) {
		return (arrivals.get(arrivals.size() - 1).nanoTime() - arrivals.get(0).nanoTime()) / 1e9;
	}


}
