package io.makegood.delivery;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.makegood.audience.AudienceRow;
import io.makegood.audience.SnapshotAccount;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import io.makegood.incident.IncidentSpec;
import io.makegood.incident.IncidentSpecParser;
import io.makegood.outbox.OutboxEntry;

/**
 * Not a test: prints the CPU cost of rendering one message of jobs/examples/streaming-outage.yml, built the way
 * Incidents.messagePreparer builds it, over accounts shaped like the benchmark's (four locales, two currencies,
 * accented names). Run from the repository root with the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.makegood.delivery.RenderCostProbe [runs]}.
 * The clock is fixed so the digest of all rendered bytes can be compared before and after a change.
 */
public final class RenderCostProbe {

	private static final String[] NAMES = { "Ben Brown", "Chloé Costa", "Dmitri Dubois", "Emma Eriksson",
			"Farid García", "Ana Müller", "Zoë O'Neil", "" };

	private static final String[][] LOCALES = { { "en-US", "USD" }, { "en-US", "USD" }, { "de-DE", "EUR" },
			{ "fr-FR", "EUR" }, { "es-ES", "EUR" } };

	private static final String[] FEES = { "13.99", "17.99", "7.99", "12.99" };

	private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

	private RenderCostProbe() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		IncidentSpec spec = new IncidentSpecParser().parse(Path.of("jobs/examples/streaming-outage.yml"));
		MailTemplate template = new MailTemplates(Path.of("jobs/templates")).load(spec.message().template());
		MimeComposer composer = new MimeComposer(spec.message().from(), spec.message().replyTo(),
				Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC));
		MessagePreparer preparer = new MessagePreparer(spec, template, composer, "care@example.com",
				primary -> List.of(), ClaimUrls.NONE);
		List<OutboxEntry> entries = entries(spec, 997);

		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long bytes = 0;
		for (OutboxEntry entry : entries) {
			PreparedMessage prepared = preparer.process(entry);
			if (prepared.message() == null) {
				throw new IllegalStateException(prepared.renderError());
			}
			digest.update(prepared.message().content());
			bytes += prepared.message().content().length;
		}
		System.out.printf("output: %d messages, %d bytes, sha256 %s%n", entries.size(), bytes,
				HexFormat.of().formatHex(digest.digest()));
		if (args.length > 1) {
			Files.write(Path.of(args[1]), preparer.process(entries.get(1)).message().content());
		}

		long sink = 0;
		for (int round = 0; round < 3; round++) {
			sink += time(preparer, entries, runs / 4, new double[1]);
		}
		// the machine is shared: many short rounds, and the fastest and the median say more than one long one
		int rounds = 20;
		double[] cpu = new double[rounds];
		double[] wall = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			double[] cpuMicros = new double[1];
			long start = System.nanoTime();
			sink += time(preparer, entries, runs / rounds, cpuMicros);
			wall[round] = (System.nanoTime() - start) / 1000.0 / (runs / rounds);
			cpu[round] = cpuMicros[0];
		}
		Arrays.sort(cpu);
		Arrays.sort(wall);
		System.out.printf("MessagePreparer.process: CPU min %.2f / median %.2f µs per message; wall min %.2f / median %.2f"
				+ " (%d rounds of %d)%n", cpu[0], cpu[rounds / 2], wall[0], wall[rounds / 2], rounds, runs / rounds);
		System.out.println("(ignore: " + sink + ")");
	}

	private static long time(MessagePreparer preparer, List<OutboxEntry> entries, int runs, double[] cpuMicros) {
		long sink = 0;
		long cpuStart = THREAD.getCurrentThreadCpuTime();
		for (int i = 0; i < runs; i++) {
			sink += preparer.process(entries.get(i % entries.size())).message().content().length;
		}
		cpuMicros[0] = (THREAD.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / runs;
		return sink;
	}

	private static List<OutboxEntry> entries(IncidentSpec spec, int count) {
		List<OutboxEntry> entries = new ArrayList<>(count);
		for (int i = 1; i <= count; i++) {
			String accountId = String.format("A%09d", i);
			String[] locale = LOCALES[i % LOCALES.length];
			BigDecimal fee = new BigDecimal(FEES[i % FEES.length]);
			AudienceRow row = new AudienceRow(accountId, "viewer" + i + "@example.com", NAMES[i % NAMES.length],
					"Standard", locale[1], fee, locale[0], Map.of());
			Money amount = Money.percentOf(fee, spec.compensation().percent(),
					java.util.Currency.getInstance(locale[1]), Money.DEFAULT_ROUNDING);
			Credit credit = new Credit(CompensationKind.PERCENT_OF_FEE, amount, null, CreditStatus.APPLIED, null);
			SnapshotAccount account = new SnapshotAccount(i, row, accountId, 1, null);
			entries.add(new OutboxEntry(account, row.email(), MessageIds.of(spec.id(), accountId, "example.com"), 0,
					credit));
		}
		return entries;
	}

}
