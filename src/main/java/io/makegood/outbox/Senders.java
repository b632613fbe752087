package io.makegood.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.makegood.db.SqlDialect;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The processes delivering an incident right now. Outbox rows in SENDING carry their sender's id; a row whose
 * sender is gone (its process no longer exists on this host, or its heartbeat is stale) may or may not have
 * been delivered, and is held as IN_DOUBT. Rows of live senders, in this process or another, are left alone.
 */
public class Senders {

	private final JdbcTemplate jdbc;

	private final SqlDialect dialect;

	private final Clock clock;

	private final Duration staleAfter;

	public Senders(JdbcTemplate jdbc, SqlDialect dialect, Clock clock, Duration staleAfter) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.clock = clock;
		this.staleAfter = staleAfter;
	}

	public long register(String incidentId) {
		long id = jdbc.queryForObject(dialect.nextValue("mg_sender_seq"), Long.class);
		Timestamp now = Timestamp.from(clock.instant());
		jdbc.update("""
				insert into mg_sender (id, incident_id, host, pid, started_at, heartbeat_at)
				values (?, ?, ?, ?, ?, ?)""", id, incidentId, LocalProcess.HOST, LocalProcess.PID, now, now);
		return id;
	}

	public void heartbeat(long senderId, double currentRate) {
		jdbc.update("update mg_sender set heartbeat_at = ?, current_rate = ? where id = ?",
				Timestamp.from(clock.instant()), currentRate, senderId);
	}

	public void deregister(long senderId) {
		jdbc.update("delete from mg_sender where id = ?", senderId);
	}

	/** Forgets senders of the incident that are gone, so their rows can be held. */
	public int reapDead(String incidentId) {
		Timestamp staleBefore = Timestamp.from(clock.instant().minus(staleAfter));
		List<Long> dead = new ArrayList<>();
		jdbc.query("select id, host, pid, heartbeat_at from mg_sender where incident_id = ?", rs -> {
			if (LocalProcess.isGone(rs.getString("host"), rs.getLong("pid"))
					|| rs.getTimestamp("heartbeat_at").before(staleBefore)) {
				dead.add(rs.getLong("id"));
			}
		}, incidentId);
		dead.forEach(this::deregister);
		return dead.size();
	}

	public record Live(long id, String host, long pid, Double currentRate) {
	}

	public List<Live> live(String incidentId) {
		return jdbc.query("select id, host, pid, current_rate from mg_sender where incident_id = ? order by id",
				(rs, n) -> new Live(rs.getLong(1), rs.getString(2), rs.getLong(3), (Double) rs.getObject(4)),
				incidentId);
	}

}
