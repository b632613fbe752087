package io.makegood.safety;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.makegood.support.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/** An accounts table in the test database and specs reading it, for the audience-safety tests. */
final class SafetyFixture {

	static final List<String> TABLES = List.of("mg_incident", "mg_incident_event", "mg_audience",
			"mg_audience_reject", "mg_credit", "mg_outbox", "mg_run_lock", "mg_approval", "batch_job_instance",
			"batch_job_execution", "batch_step_execution");

	final TestDatabases.Database database;

	final JdbcTemplate jdbc;

	final Path dir;

	SafetyFixture(TestDatabases.Database database, Path dir) {
		this.database = database;
		this.jdbc = database.jdbc();
		this.dir = dir;
		jdbc.execute("""
				create table accounts (
				  account_id varchar(20) primary key, email varchar(320), name varchar(200), plan varchar(50),
				  currency char(3), monthly_fee numeric(10,2), locale varchar(35), segment varchar(20))""");
	}

	/** Accounts {@code <prefix>-0001..n} in the given segment, EUR and USD alternating. */
	SafetyFixture accounts(String prefix, int n, String segment) {
		List<Object[]> rows = new ArrayList<>();
		for (int i = 1; i <= n; i++) {
			String id = String.format("%s-%04d", prefix, i);
			rows.add(new Object[] { id, id.toLowerCase() + "@example.com", "Viewer " + id, i % 3 == 0 ? "premium" : "basic",
					i % 2 == 0 ? "EUR" : "USD", new BigDecimal(i % 3 == 0 ? "17.99" : "9.99"), i % 2 == 0 ? "de-DE" : "en-US",
					segment });
		}
		jdbc.batchUpdate("insert into accounts values (?, ?, ?, ?, ?, ?, ?, ?)", rows);
		return this;
	}

	Path spec(String id, String segment, String extra) {
		String yaml = """
				id: %s
				title: Streaming unavailable
				audience:
				  source: sql
				  query: select account_id, email, name, plan, currency, monthly_fee, locale from accounts where segment = '%s'
				compensation:
				  kind: percent-of-fee
				  percent: 10
				message:
				  template: streaming-outage
				  from: "Example Streaming <care@example.com>"
				%s""".formatted(id, segment, extra == null ? "" : extra);
		return write(id + ".yml", yaml);
	}

	Path write(String name, String text) {
		try {
			Path file = dir.resolve(name);
			Files.writeString(file, text);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Map<String, Long> rowCounts() {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : TABLES) {
			counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
		}
		return counts;
	}

	long count(String sql, Object... args) {
		return jdbc.queryForObject(sql, Long.class, args);
	}

}
