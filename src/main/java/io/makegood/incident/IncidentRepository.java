package io.makegood.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers a validated spec under its incident id. A rerun with an edited spec keeps the frozen audience,
 * the granted credits and the queued messages (they are keyed by incident and account, so nothing can be
 * duplicated) and records what changed, so the report can show it.
 */
public class IncidentRepository {

	public record Registration(boolean created, List<String> changes) {
	}

	public record StoredIncident(String id, String specText, String baseDir, boolean frozen, Integer audienceSize,
			String audienceFingerprint) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	public IncidentRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional
	public Registration register(IncidentSpec spec) {
		Timestamp now = Timestamp.from(clock.instant());
		String hash = SpecHash.sha256(spec.sourceText());
		Optional<StoredIncident> existing = find(spec.id());
		if (existing.isEmpty()) {
			jdbc.sql("""
					insert into mg_incident (id, title, spec_hash, base_dir, spec_text, created_at, updated_at)
					values (?, ?, ?, ?, ?, ?, ?)""")
				.params(spec.id(), spec.title(), hash, spec.baseDir().toString(), spec.sourceText(), now, now)
				.update();
			return new Registration(true, List.of());
		}
		if (SpecHash.sha256(existing.get().specText()).equals(hash)) {
			return new Registration(false, List.of());
		}
		List<String> changes = SpecDiff.changes(existing.get().specText(), spec.sourceText());
		jdbc.sql("""
				update mg_incident set title = ?, spec_hash = ?, base_dir = ?, spec_text = ?, updated_at = ?
				where id = ?""")
			.params(spec.title(), hash, spec.baseDir().toString(), spec.sourceText(), now, spec.id())
			.update();
		recordEvent(spec.id(), "SPEC_CHANGED", String.join("\n", changes));
		return new Registration(false, changes);
	}

	public Optional<StoredIncident> find(String incidentId) {
		return jdbc.sql("""
				select id, spec_text, base_dir, snapshot_at, audience_size, audience_fingerprint
				from mg_incident where id = ?""")
			.param(incidentId)
			.query((rs, n) -> new StoredIncident(rs.getString(1), rs.getString(2), rs.getString(3),
					rs.getTimestamp(4) != null, (Integer) rs.getObject(5), rs.getString(6)))
			.optional();
	}

	/**
	 * The spec as last registered; every step reads it from here, so a resumed run uses the current spec. Once
	 * the audience is frozen its source is not checked again: deliveries, reminders and reports need only what
	 * mg_audience holds.
	 */
	public IncidentSpec spec(String incidentId, IncidentSpecParser parser) {
		StoredIncident stored = find(incidentId)
			.orElseThrow(() -> new IllegalStateException("Unknown incident " + incidentId));
		java.nio.file.Path baseDir = java.nio.file.Path.of(stored.baseDir());
		return stored.frozen() ? parser.parseFrozen(stored.specText(), baseDir)
				: parser.parse(stored.specText(), baseDir);
	}

	/** Holds the incident after an operator's stop: only an operator's run or delivery sends it again. */
	public void hold(String incidentId) {
		jdbc.sql("update mg_incident set held_at = ? where id = ? and held_at is null")
			.params(Timestamp.from(clock.instant()), incidentId)
			.update();
	}

	public boolean isHeld(String incidentId) {
		return jdbc.sql("select count(*) from mg_incident where id = ? and held_at is not null")
			.param(incidentId)
			.query(Long.class)
			.single() > 0;
	}

	/** An operator sends the incident again; recorded as an event when it was held. */
	public void release(String incidentId) {
		int released = jdbc.sql("update mg_incident set held_at = null where id = ? and held_at is not null")
			.param(incidentId)
			.update();
		if (released > 0) {
			recordEvent(incidentId, "RESUMED", "held since a stop; sent again by an operator");
		}
	}

	public List<String> ids() {
		return jdbc.sql("select id from mg_incident order by created_at, id").query(String.class).list();
	}

	public void recordEvent(String incidentId, String kind, String detail) {
		jdbc.sql("insert into mg_incident_event (incident_id, occurred_at, kind, detail) values (?, ?, ?, ?)")
			.params(incidentId, Timestamp.from(clock.instant()), kind, detail)
			.update();
	}

	public record Event(java.time.Instant at, String kind, String detail) {
	}

	public List<Event> events(String incidentId) {
		return jdbc.sql("select occurred_at, kind, detail from mg_incident_event where incident_id = ? order by occurred_at")
			.param(incidentId)
			.query((rs, n) -> new Event(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)))
			.list();
	}

}
