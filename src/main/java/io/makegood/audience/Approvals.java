package io.makegood.audience;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/** Plan hashes operators approved with {@code run --approve}; the latest one per incident counts. */
public class Approvals {

	private final JdbcTemplate jdbc;

	private final Clock clock;

	public Approvals(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	public void record(String incidentId, String planHash, String approvedBy) {
		jdbc.update("insert into mg_approval (incident_id, plan_hash, approved_at, approved_by) values (?, ?, ?, ?)",
				incidentId, planHash.strip().toLowerCase(java.util.Locale.ROOT), Timestamp.from(clock.instant()),
				approvedBy);
	}

	public Optional<String> latest(String incidentId) {
		return jdbc.query("""
				select plan_hash from mg_approval where incident_id = ?
				order by approved_at desc fetch first 1 rows only""", (rs, n) -> rs.getString(1), incidentId)
			.stream()
			.findFirst();
	}

}
