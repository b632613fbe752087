package io.makegood.outbox;

import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.makegood.db.SqlDialect;
import io.makegood.outbox.LaneJournal.Evidence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The processes delivering an incident right now. Outbox rows in SENDING carry their sender's id; a row whose
 * sender is gone (its process no longer exists on this host, or its heartbeat is stale) may or may not have
 * been delivered, and is held as IN_DOUBT. Rows of live senders, in this process or another, are left alone.
 * <p>
 * A sender of this machine that is known to be gone left its {@link LaneJournals lane journals}: before its rows
 * are held, the rows they show as never sent go back to PENDING and those with an outcome get it. Only a gone
 * process's rows may go back to PENDING; a sender that merely looks stale might still be sending them.
 */
public class Senders {

	private static final Logger log = LoggerFactory.getLogger(Senders.class);

	private final JdbcTemplate jdbc;

	private final SqlDialect dialect;

	private final Clock clock;

	private final Duration staleAfter;

	private final LaneJournals journals;

	public Senders(JdbcTemplate jdbc, SqlDialect dialect, Clock clock, Duration staleAfter, LaneJournals journals) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.clock = clock;
		this.staleAfter = staleAfter;
		this.journals = journals;
	}

	public Senders(JdbcTemplate jdbc, SqlDialect dialect, Clock clock, Duration staleAfter) {
		this(jdbc, dialect, clock, staleAfter, LaneJournals.none());
	}

	/** The journal of one of this sender's lanes; closing it deletes it. */
	public LaneJournal openJournal(long senderId, int lane) {
		return journals.open(senderId, lane);
	}

	public long register(String incidentId) {
		long id = jdbc.queryForObject(dialect.nextValue("mg_sender_seq"), Long.class);
		Timestamp now = Timestamp.from(clock.instant());
		jdbc.update("""
				insert into mg_sender (id, incident_id, host, pid, process_started_at, started_at, heartbeat_at)
				values (?, ?, ?, ?, ?, ?, ?)""", id, incidentId, LocalProcess.HOST, LocalProcess.PID,
				LocalProcess.startedTimestamp(), now, now);
		return id;
	}

	/** @return false when the sender is registered no more: another process took it for dead and reaped it */
	public boolean heartbeat(long senderId, double currentRate) {
		return jdbc.update("update mg_sender set heartbeat_at = ?, current_rate = ? where id = ?",
				Timestamp.from(clock.instant()), currentRate, senderId) > 0;
	}

	public void deregister(long senderId) {
		jdbc.update("delete from mg_sender where id = ?", senderId);
	}

	/**
	 * Forgets senders of the incident that are gone, so their rows can be held, after settling what the journals
	 * of those that ran here tell.
	 */
	public int reapDead(String incidentId) {
		Timestamp staleBefore = Timestamp.from(clock.instant().minus(staleAfter));
		List<Long> dead = new ArrayList<>();
		List<Long> goneHere = new ArrayList<>();
		jdbc.query("select id, host, pid, process_started_at, heartbeat_at from mg_sender where incident_id = ?", rs -> {
			Timestamp processStarted = rs.getTimestamp("process_started_at");
			boolean gone = LocalProcess.isGone(rs.getString("host"), rs.getLong("pid"),
					processStarted == null ? null : processStarted.toInstant());
			if (gone || rs.getTimestamp("heartbeat_at").before(staleBefore)) {
				dead.add(rs.getLong("id"));
			}
			if (gone) {
				goneHere.add(rs.getLong("id"));
			}
		}, incidentId);
		for (long senderId : goneHere) {
			try {
				resumeFromJournals(incidentId, senderId, "Sender " + senderId + " of this machine died mid-batch");
			}
			catch (UncheckedIOException ex) {
				// without its journal the dead sender's claimed rows are held IN_DOUBT, as on another machine;
				// failing here instead would stop every later delivery of the incident until the file is fixed
				log.warn("{}; its rows still in SENDING are held IN_DOUBT", ex.getMessage());
			}
		}
		dead.forEach(this::deregister);
		return dead.size();
	}

	/**
	 * Ends a sender of this process once all its lanes have stopped. A lane that failed on a database error left
	 * its last batch in SENDING, and its journal says which of those rows never reached the transport and what
	 * became of the others: they are settled now, instead of all being held IN_DOUBT by the next run.
	 */
	public void retire(String incidentId, long senderId) {
		resumeFromJournals(incidentId, senderId, "A lane of sender " + senderId + " stopped mid-batch");
		deregister(senderId);
	}

	private void resumeFromJournals(String incidentId, long senderId, String what) {
		Map<String, Evidence> evidence = journals.evidenceOf(senderId);
		Timestamp now = Timestamp.from(clock.instant());
		List<Object[]> unsent = new ArrayList<>();
		List<Object[]> settled = new ArrayList<>();
		evidence.forEach((accountId, said) -> {
			if (said instanceof Evidence.Unsent) {
				unsent.add(new Object[] { now, incidentId, accountId, senderId });
			}
			else if (said instanceof Evidence.Settled known) {
				Object[] record = OutboxLane.recordArguments(incidentId, known.outcome(), Timestamp.from(known.at()));
				Object[] ofThisSender = Arrays.copyOf(record, record.length + 1);
				ofThisSender[record.length] = senderId;
				settled.add(ofThisSender);
			}
		});
		// every statement matches only rows the dead sender still holds in SENDING, so replaying it is harmless
		int released = IntStream.of(jdbc.batchUpdate(OutboxLane.RELEASE, unsent)).sum();
		int recorded = IntStream.of(jdbc.batchUpdate(OutboxLane.RECORD + " and claimed_by = ?", settled)).sum();
		journals.forget(senderId);
		if (released + recorded > 0) {
			log.info("{}; its journal returned {} unsent message(s) to PENDING and recorded {} outcome(s)", what,
					released, recorded);
		}
	}

	public record Live(long id, String host, long pid, Double currentRate) {
	}

	public List<Live> live(String incidentId) {
		return jdbc.query("select id, host, pid, current_rate from mg_sender where incident_id = ? order by id",
				(rs, n) -> new Live(rs.getLong(1), rs.getString(2), rs.getLong(3), (Double) rs.getObject(4)),
				incidentId);
	}

}
