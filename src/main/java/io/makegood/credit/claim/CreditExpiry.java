package io.makegood.credit.claim;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.makegood.incident.IncidentRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Credits past their expiry that nobody claimed become EXPIRED. Only CLAIMABLE rows move, so running it twice
 * changes nothing the second time, and a claim racing with it either wins or finds the credit expired.
 */
public class CreditExpiry {

	private final JdbcTemplate jdbc;

	private final IncidentRepository incidents;

	public CreditExpiry(JdbcTemplate jdbc, IncidentRepository incidents) {
		this.jdbc = jdbc;
		this.incidents = incidents;
	}

	/** @return credits expired now, by incident */
	public Map<String, Integer> expire(Instant now) {
		Timestamp at = Timestamp.from(now);
		List<String> due = jdbc.queryForList("""
				select distinct incident_id from mg_credit
				where status = 'CLAIMABLE' and expires_at is not null and expires_at <= ?
				order by incident_id""", String.class, at);
		Map<String, Integer> expired = new LinkedHashMap<>();
		for (String incidentId : due) {
			int count = jdbc.update("""
					update mg_credit set status = 'EXPIRED', updated_at = ?
					where incident_id = ? and status = 'CLAIMABLE' and expires_at is not null and expires_at <= ?""",
					at, incidentId, at);
			if (count > 0) {
				incidents.recordEvent(incidentId, "CREDITS_EXPIRED", count + " unclaimed credit(s) expired");
				expired.put(incidentId, count);
			}
		}
		return expired;
	}

}
