package io.makegood.ops;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Demo accounts and failed-playback events for {@code makegood demo}: a streaming service with plans in USD
 * and EUR, an outage on 28 November 2026, and the mess real data has (a shared family address, a malformed
 * address, an address that bounced before).
 */
public class DemoData {

	public static final Path SPEC = Path.of("jobs/examples/streaming-outage.yml");

	public record Summary(long accounts, long failures) {
	}

	private static final int ACCOUNTS = 3000;

	private static final String[] FIRST = { "Ana", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro",
			"Inés", "Jonas", "Kai", "Léa", "Mateo", "Noor", "Olivia", "Pål", "Quinn", "Rosa", "Sven", "Zoë" };

	private static final String[] LAST = { "Andersen", "Brown", "Costa", "Dubois", "Eriksson", "García", "Hughes",
			"Ito", "Jensen", "Kowalski", "Müller", "Novak", "O'Brien", "Petrov", "Rossi", "Smith", "Tanaka" };

	private static final Object[][] PLANS = { { "Basic", "USD", "7.99", "en-US" }, { "Standard", "USD", "13.99", "en-US" },
			{ "Premium", "USD", "17.99", "en-US" }, { "Basic", "EUR", "7.99", "de-DE" },
			{ "Standard", "EUR", "12.99", "fr-FR" }, { "Premium", "EUR", "17.99", "es-ES" } };

	private final JdbcTemplate jdbc;

	private final Path pickupDirectory;

	public DemoData(JdbcTemplate jdbc, Path pickupDirectory) {
		this.jdbc = jdbc;
		this.pickupDirectory = pickupDirectory;
	}

	public Path pickupDirectory() {
		return pickupDirectory;
	}

	/** Creates the demo tables and rows once; later calls leave them as they are. */
	public Summary ensure() {
		jdbc.execute("""
				create table if not exists accounts (
				  account_id varchar(20) primary key, email varchar(320), name varchar(200), plan varchar(50),
				  currency char(3), monthly_fee numeric(10,2), locale varchar(35))""");
		jdbc.execute("""
				create table if not exists playback_failures (
				  account_id varchar(20) not null, attempted_at timestamp not null, title varchar(200))""");
		if (count("accounts") == 0) {
			insert();
		}
		return new Summary(count("accounts"), count("playback_failures"));
	}

	private void insert() {
		Random random = new Random(20261128);
		List<Object[]> accounts = new ArrayList<>();
		List<Object[]> failures = new ArrayList<>();
		Instant outageStart = Instant.parse("2026-11-28T18:05:00Z");
		for (int i = 1; i <= ACCOUNTS; i++) {
			String id = "A%06d".formatted(i);
			String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
			Object[] plan = PLANS[random.nextInt(PLANS.length)];
			String email = "viewer" + i + "@example.com";
			if (i == 17) {
				email = "not-an-address";
			}
			if (i == 18) {
				email = "viewer11@example.com"; // a family sharing one address
			}
			accounts.add(new Object[] { id, email, name, plan[0], plan[1], new BigDecimal((String) plan[2]), plan[3] });
			if (random.nextInt(100) < 40 || i == 11 || i == 17 || i == 18 || i == 23) {
				Instant at = outageStart.plusSeconds(random.nextInt(5 * 3600));
				failures.add(new Object[] { id, Timestamp.from(at), "Stranger Things" });
				if (random.nextBoolean()) {
					failures.add(new Object[] { id, Timestamp.from(at.plusSeconds(120)), "Stranger Things" });
				}
			}
		}
		jdbc.batchUpdate("insert into accounts values (?, ?, ?, ?, ?, ?, ?)", accounts);
		jdbc.batchUpdate("insert into playback_failures values (?, ?, ?)", failures);
		jdbc.update("""
				insert into mg_suppression (email_key, reason, detail, created_at)
				select 'viewer23@example.com', 'BOUNCED', 'demo: hard bounce in an earlier campaign', current_timestamp
				from (values(1)) v where not exists (select 1 from mg_suppression where email_key = 'viewer23@example.com')""");
	}

	private long count(String table) {
		return jdbc.queryForObject("select count(*) from " + table, Long.class);
	}

}
