package io.makegood.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.makegood.audience.AudienceSnapshot;
import io.makegood.credit.CreditTotals;
import io.makegood.db.SqlDialect;
import io.makegood.incident.IncidentRepository;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.Senders;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds an incident's report with set-based queries and writes it as JSON, readable text and a per-account
 * CSV ({@link AccountsCsv}).
 */
public class IncidentReports {

	private final JdbcTemplate jdbc;

	private final AccountsCsv accountsCsv;

	private final IncidentRepository incidents;

	private final AudienceSnapshot snapshot;

	private final OutboxRepository outbox;

	private final Path directory;

	private final Clock clock;

	private final Senders senders;

	private final Function<String, IncidentReport.Rates> configuredRates;

	private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	/** @param configuredRates incident id to its configured rates (live senders are filled in here) */
	public IncidentReports(JdbcTemplate jdbc, SqlDialect dialect, IncidentRepository incidents,
			AudienceSnapshot snapshot, OutboxRepository outbox, Senders senders,
			Function<String, IncidentReport.Rates> configuredRates, Path directory, Clock clock) {
		this.jdbc = jdbc;
		this.accountsCsv = new AccountsCsv(jdbc, dialect);
		this.incidents = incidents;
		this.snapshot = snapshot;
		this.outbox = outbox;
		this.directory = directory;
		this.clock = clock;
		this.senders = senders;
		this.configuredRates = configuredRates;
	}

	/**
	 * Waits, up to {@code patience}, while other processes are still delivering this incident, so a report does
	 * not call their in-flight messages unfinished.
	 * @return whether no other sender was left
	 */
	public boolean awaitOtherSenders(String incidentId, Duration patience) throws InterruptedException {
		long deadline = System.nanoTime() + patience.toNanos();
		while (true) {
			senders.reapDead(incidentId);
			if (senders.live(incidentId).isEmpty()) {
				return true;
			}
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(250);
		}
	}

	public IncidentReport build(String incidentId, String jobStatus) {
		AudienceSnapshot.Counts audience = snapshot.counts(incidentId);
		Map<String, Long> messages = new TreeMap<>();
		outbox.countsByStatus(incidentId).forEach((status, count) -> messages.put(status.name(), count));
		// the total counts what customers can still get: an expired or revoked credit is worth nothing
		CreditTotals credits = CreditTotals.of(jdbc.getDataSource(), incidentId);
		Map<String, BigDecimal> creditByCurrency = new TreeMap<>();
		credits.totalByCurrency().forEach((currency, total) -> creditByCurrency.put(currency.trim(),
				total.stripTrailingZeros()));
		Map<String, Long> creditsByStatus = new TreeMap<>();
		credits.countByStatus().forEach((status, count) -> creditsByStatus.put(status.name(), count));
		Map<String, Long> accounts = new TreeMap<>();
		jdbc.query("""
				select o.status, count(*) from mg_audience a
				left join mg_outbox o on o.incident_id = a.incident_id and o.account_id = a.primary_account_id
				where a.incident_id = ? group by o.status""", rs -> {
			accounts.put(rs.getString(1) == null ? "NOT_QUEUED" : rs.getString(1), rs.getLong(2));
		}, incidentId);
		// a source row rejected as another listing of an accepted account is not one more account
		Long rejected = jdbc.queryForObject("""
				select count(*) from mg_audience_reject r where r.incident_id = ? and not exists (
				  select 1 from mg_audience a where a.incident_id = r.incident_id and a.account_id = r.account_id)""",
				Long.class, incidentId);
		if (rejected != null && rejected > 0) {
			accounts.merge("FAILED", rejected, Long::sum);
		}
		return new IncidentReport(incidentId, jobStatus, clock.instant(),
				new IncidentReport.Audience(audience.accepted(), audience.rejectsByReason(), audience.suppressed(),
						audience.sharedAddressAccounts()),
				messages, accounts, creditByCurrency, creditsByStatus, outbox.topFailureReasons(incidentId, 5),
				incidents.events(incidentId), rates(incidentId));
	}

	private IncidentReport.Rates rates(String incidentId) {
		IncidentReport.Rates configured = configuredRates.apply(incidentId);
		return new IncidentReport.Rates(configured.configured(), configured.domains(), senders.live(incidentId));
	}

	/** Writes report.json, report.txt and accounts.csv under reports/<incident>/ and returns that directory. */
	public Path write(IncidentReport report) {
		Path dir = directory.resolve(report.incidentId());
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("report.json"), json.writeValueAsString(report));
			Files.writeString(dir.resolve("report.txt"), ReportText.render(report));
			accountsCsv.write(report.incidentId(), dir.resolve("accounts.csv"));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the report under " + dir, ex);
		}
	}

}
