package io.makegood.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.makegood.outbox.LocalProcess;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One process at a time per incident, held in the database so it works across pods. A holder proves it is
 * alive with a heartbeat; a holder that is gone (its process no longer exists on this host, its pid now belongs
 * to a process that started at another moment, or its heartbeat is stale) is taken over, which is how a rerun
 * after kill -9 finds its way back.
 */
public class RunLock {

	public static class HeldElsewhereException extends RuntimeException {

		public HeldElsewhereException(String message) {
			super(message);
		}

	}

	/** @param processStartedAt when the holder's process started, if it was known */
	public record Holder(String owner, String host, long pid, Instant processStartedAt, Instant heartbeatAt) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration heartbeat;

	private final Duration staleAfter;

	public RunLock(JdbcClient jdbc, Clock clock, Duration heartbeat, Duration staleAfter) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.heartbeat = heartbeat;
		this.staleAfter = staleAfter;
	}

	/** @return the lease, and whether it was taken over from a holder that died */
	public Lease acquire(String incidentId) {
		String owner = UUID.randomUUID().toString();
		try {
			jdbc.sql("""
					insert into mg_run_lock (incident_id, owner, host, pid, process_started_at, heartbeat_at)
					values (?, ?, ?, ?, ?, ?)""")
				.params(incidentId, owner, LocalProcess.HOST, LocalProcess.PID, LocalProcess.startedTimestamp(), now())
				.update();
			return new Lease(incidentId, owner, false);
		}
		catch (DuplicateKeyException held) {
			Holder holder = holder(incidentId).orElseThrow(() -> held);
			if (!isDead(holder)) {
				throw new HeldElsewhereException("Incident " + incidentId + " is being run by process " + holder.pid()
						+ " on " + holder.host() + " (heartbeat " + holder.heartbeatAt() + "); nothing done");
			}
			int taken = jdbc.sql("""
					update mg_run_lock set owner = ?, host = ?, pid = ?, process_started_at = ?, heartbeat_at = ?
					where incident_id = ? and owner = ?""")
				.params(owner, LocalProcess.HOST, LocalProcess.PID, LocalProcess.startedTimestamp(), now(), incidentId,
						holder.owner())
				.update();
			if (taken == 0) {
				throw new HeldElsewhereException("Incident " + incidentId + " was just taken by another process");
			}
			return new Lease(incidentId, owner, true);
		}
	}

	public Optional<Holder> holder(String incidentId) {
		return jdbc.sql("""
				select owner, host, pid, process_started_at, heartbeat_at from mg_run_lock where incident_id = ?""")
			.param(incidentId)
			.query((rs, n) -> {
				Timestamp processStarted = rs.getTimestamp(4);
				return new Holder(rs.getString(1), rs.getString(2), rs.getLong(3),
						processStarted == null ? null : processStarted.toInstant(), rs.getTimestamp(5).toInstant());
			})
			.optional();
	}

	boolean isDead(Holder holder) {
		if (LocalProcess.isGone(holder.host(), holder.pid(), holder.processStartedAt())) {
			return true;
		}
		return holder.heartbeatAt().plus(staleAfter).isBefore(clock.instant());
	}

	private Timestamp now() {
		return Timestamp.from(clock.instant());
	}

	/** A held lock; its heartbeat runs until it is closed. */
	public final class Lease implements AutoCloseable {

		private final String incidentId;

		private final String owner;

		private final boolean tookOverFromDeadHolder;

		private final ScheduledExecutorService beat;

		Lease(String incidentId, String owner, boolean tookOverFromDeadHolder) {
			this.incidentId = incidentId;
			this.owner = owner;
			this.tookOverFromDeadHolder = tookOverFromDeadHolder;
			this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
				Thread thread = new Thread(r, "mg-run-lock-heartbeat");
				thread.setDaemon(true);
				return thread;
			});
			long period = heartbeat.toMillis();
			beat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
		}

		public boolean tookOverFromDeadHolder() {
			return tookOverFromDeadHolder;
		}

		private void beat() {
			try {
				jdbc.sql("update mg_run_lock set heartbeat_at = ? where incident_id = ? and owner = ?")
					.params(now(), incidentId, owner)
					.update();
			}
			catch (RuntimeException ex) {
				// a missed beat only makes the lock look older; the next beat repairs it
			}
		}

		@Override
		public void close() {
			beat.shutdownNow();
			jdbc.sql("delete from mg_run_lock where incident_id = ? and owner = ?").params(incidentId, owner).update();
		}

	}

}
