package io.makegood.ops;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.makegood.ops.RunLock.HeldElsewhereException;
import io.makegood.ops.RunLock.Lease;
import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;
import io.makegood.support.MutableClock;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The database-held run lock on both real databases, with a clock the test moves. */
class RunLockTest {

	private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

	private static final Duration STALE_AFTER = Duration.ofMinutes(2);

	private static final Duration NO_BEATS_DURING_THE_TEST = Duration.ofHours(1);

	private static final long THIS_PID = ProcessHandle.current().pid();

	@OnBothDatabases
	void acquiresAndReleases(MigratedDatabase db) {
		RunLock lock = lock(db, new MutableClock(START), NO_BEATS_DURING_THE_TEST);
		String incident = incident();

		try (Lease lease = lock.acquire(incident)) {
			assertThat(lease.tookOverFromDeadHolder()).isFalse();
			assertThat(lock.holder(incident)).hasValueSatisfying(holder -> {
				assertThat(holder.pid()).isEqualTo(THIS_PID);
				assertThat(holder.heartbeatAt()).isEqualTo(START);
			});
		}

		assertThat(lock.holder(incident)).isEmpty();
		try (Lease again = lock.acquire(incident)) {
			assertThat(again.tookOverFromDeadHolder()).isFalse();
		}
	}

	@OnBothDatabases
	void aLiveHolderKeepsTheLock(MigratedDatabase db) {
		RunLock lock = lock(db, new MutableClock(START), NO_BEATS_DURING_THE_TEST);
		String incident = incident();

		try (Lease lease = lock.acquire(incident)) {
			assertThatExceptionOfType(HeldElsewhereException.class).isThrownBy(() -> lock.acquire(incident))
				.withMessageContaining("process " + THIS_PID);
			assertThat(lock.holder(incident)).isPresent();
		}
	}

	@OnBothDatabases
	void aLiveHolderOnAnotherHostKeepsTheLockWhileItsHeartbeatIsFresh(MigratedDatabase db) {
		MutableClock clock = new MutableClock(START);
		RunLock lock = lock(db, clock, NO_BEATS_DURING_THE_TEST);
		String incident = incident();
		insertHolder(db, incident, "other-host", THIS_PID, START);

		clock.advance(STALE_AFTER);
		assertThatExceptionOfType(HeldElsewhereException.class).isThrownBy(() -> lock.acquire(incident))
			.withMessageContaining("other-host");
	}

	@OnBothDatabases
	void aHolderWhoseProcessIsGoneFromThisHostIsTakenOver(MigratedDatabase db) throws Exception {
		RunLock lock = lock(db, new MutableClock(START), NO_BEATS_DURING_THE_TEST);
		String incident = incident();
		insertHolder(db, incident, thisHost(db, lock), deadPid(), START);

		try (Lease lease = lock.acquire(incident)) {
			assertThat(lease.tookOverFromDeadHolder()).isTrue();
			assertThat(lock.holder(incident)).hasValueSatisfying(holder -> {
				assertThat(holder.pid()).isEqualTo(THIS_PID);
				assertThat(holder.owner()).isNotEqualTo("killed");
			});
		}
	}

	@OnBothDatabases
	void aHolderWhosePidWasReusedOnThisHostIsTakenOver(MigratedDatabase db) {
		RunLock lock = lock(db, new MutableClock(START), NO_BEATS_DURING_THE_TEST);
		String incident = incident();
		// as in a container restarted in its pod: the same host name, and the new process got the old pid
		insertHolder(db, incident, thisHost(db, lock), THIS_PID, Instant.parse("2020-01-01T00:00:00Z"), START);

		try (Lease lease = lock.acquire(incident)) {
			assertThat(lease.tookOverFromDeadHolder()).isTrue();
			assertThat(lock.holder(incident)).hasValueSatisfying(holder -> {
				assertThat(holder.owner()).isNotEqualTo("killed");
				assertThat(holder.processStartedAt()).isNotNull().isNotEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
			});
		}
	}

	@OnBothDatabases
	void aHolderThatIsThisVeryProcessIsNotTakenOverBeforeItsHeartbeatIsStale(MigratedDatabase db) {
		RunLock lock = lock(db, new MutableClock(START), NO_BEATS_DURING_THE_TEST);
		String incident = incident();

		try (Lease lease = lock.acquire(incident)) {
			assertThatExceptionOfType(HeldElsewhereException.class).isThrownBy(() -> lock.acquire(incident));
			Instant thisProcessStarted = ProcessHandle.current().info().startInstant().orElseThrow();
			assertThat(lock.holder(incident))
				.hasValueSatisfying(holder -> assertThat(holder.processStartedAt()).isEqualTo(thisProcessStarted));
		}
	}

	@OnBothDatabases
	void aHolderWithAStaleHeartbeatIsTakenOver(MigratedDatabase db) {
		MutableClock clock = new MutableClock(START);
		RunLock lock = lock(db, clock, NO_BEATS_DURING_THE_TEST);
		String incident = incident();
		insertHolder(db, incident, "other-host", THIS_PID, START);

		clock.advance(STALE_AFTER.plusSeconds(1));
		try (Lease lease = lock.acquire(incident)) {
			assertThat(lease.tookOverFromDeadHolder()).isTrue();
			assertThat(lock.holder(incident)).hasValueSatisfying(holder -> {
				assertThat(holder.host()).isNotEqualTo("other-host");
				assertThat(holder.heartbeatAt()).isEqualTo(START.plus(STALE_AFTER).plusSeconds(1));
			});
		}
	}

	@OnBothDatabases
	void closingALeaseThatWasTakenOverLeavesTheNewHolderAlone(MigratedDatabase db) {
		MutableClock clock = new MutableClock(START);
		RunLock lock = lock(db, clock, NO_BEATS_DURING_THE_TEST);
		String incident = incident();
		Lease stalled = lock.acquire(incident);
		clock.advance(STALE_AFTER.plusSeconds(1));

		try (Lease current = lock.acquire(incident)) {
			stalled.close();

			assertThat(current.tookOverFromDeadHolder()).isTrue();
			assertThat(lock.holder(incident)).isPresent();
			assertThatExceptionOfType(HeldElsewhereException.class).isThrownBy(() -> lock.acquire(incident));
		}
	}

	@OnBothDatabases
	void theHeartbeatKeepsTheLockFresh(MigratedDatabase db) throws InterruptedException {
		MutableClock clock = new MutableClock(START);
		RunLock lock = lock(db, clock, Duration.ofMillis(20));
		String incident = incident();

		try (Lease lease = lock.acquire(incident)) {
			Instant later = START.plus(Duration.ofMinutes(10));
			clock.advance(Duration.ofMinutes(10));

			assertThat(awaitHeartbeat(lock, incident, later)).isEqualTo(later);
			assertThatExceptionOfType(HeldElsewhereException.class)
				.isThrownBy(() -> lock(db, clock, NO_BEATS_DURING_THE_TEST).acquire(incident));
		}
	}

	private static Instant awaitHeartbeat(RunLock lock, String incident, Instant expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Instant seen = null;
		while (System.nanoTime() < deadline) {
			seen = lock.holder(incident).orElseThrow().heartbeatAt();
			if (seen.equals(expected)) {
				break;
			}
			Thread.sleep(10);
		}
		return seen;
	}

	private static RunLock lock(MigratedDatabase db, MutableClock clock, Duration heartbeat) {
		return new RunLock(JdbcClient.create(db.dataSource()), clock, heartbeat, STALE_AFTER);
	}

	private static String incident() {
		return "inc-" + UUID.randomUUID();
	}

	/** The host name the lock records for this process. */
	private static String thisHost(MigratedDatabase db, RunLock lock) {
		String probe = incident();
		try (Lease lease = lock.acquire(probe)) {
			return lock.holder(probe).orElseThrow().host();
		}
	}

	private static long deadPid() throws Exception {
		Process process = new ProcessBuilder("true").start();
		process.waitFor();
		return process.pid();
	}

	private static void insertHolder(MigratedDatabase db, String incident, String host, long pid, Instant heartbeat) {
		insertHolder(db, incident, host, pid, null, heartbeat);
	}

	private static void insertHolder(MigratedDatabase db, String incident, String host, long pid,
			Instant processStarted, Instant heartbeat) {
		db.jdbc()
			.update("""
					insert into mg_run_lock (incident_id, owner, host, pid, process_started_at, heartbeat_at)
					values (?, 'killed', ?, ?, ?, ?)""", incident, host, pid,
					processStarted == null ? null : Timestamp.from(processStarted), Timestamp.from(heartbeat));
	}

}
