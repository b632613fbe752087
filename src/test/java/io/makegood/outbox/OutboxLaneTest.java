package io.makegood.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.makegood.outbox.OutboxRepository.NewMessage;
import io.makegood.outbox.OutboxRepository.Outcome;
import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A delivery lane's batches, and what a rerun makes of a dead lane's batch, on both real databases. */
class OutboxLaneTest {

	private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

	@TempDir
	Path journalDir;

	@OnBothDatabases
	void oneCommitSettlesTheLastBatchReleasesWhatWasNotSentAndClaimsTheNext(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = enqueue(outbox, "a", "b", "c", "d", "e");
		try (OutboxLane lane = outbox.openLane(incident, 6, LaneJournal.none());
				OutboxLane rival = outbox.openLane(incident, 7, LaneJournal.none())) {
			assertThat(lane.claim(List.of("c", "a", "b"), NOW)).containsExactlyInAnyOrder("a", "b", "c");
			assertThat(rival.claim(List.of("c", "d"), NOW)).containsExactly("d");

			lane.sending("a");
			lane.settled(new Outcome("a", OutboxStatus.SENT, null, null), NOW);
			lane.sending("b");
			lane.settled(new Outcome("b", OutboxStatus.FAILED, "550 no such user", null), NOW);
			lane.release("c");
			assertThat(status(db, incident, "a")).as("nothing is committed before the next claim").isEqualTo("SENDING");
			assertThat(lane.claim(List.of("e"), NOW)).containsExactly("e");
		}

		assertThat(status(db, incident, "a")).isEqualTo("SENT");
		assertThat(status(db, incident, "b")).isEqualTo("FAILED");
		assertThat(status(db, incident, "c")).isEqualTo("PENDING");
		assertThat(attempts(db, incident, "c")).isZero();
		assertThat(status(db, incident, "d")).isEqualTo("SENDING");
		assertThat(status(db, incident, "e")).isEqualTo("SENDING");
	}

	@OnBothDatabases
	void aRerunOnThisMachineResumesADeadSenderFromItsJournal(MigratedDatabase db) throws Exception {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		Senders senders = senders(db, new LaneJournals(journalDir, "this-boot"));
		String incident = enqueue(outbox, "sent", "bounced", "in-flight", "unsent", "unjournaled", "untouched");
		long senderId = senders.register(incident);
		OutboxLane lane = outbox.openLane(incident, senderId, senders.openJournal(senderId, 1));
		lane.claim(List.of("sent", "bounced", "in-flight", "unsent"), NOW);
		outbox.claim(incident, List.of("unjournaled"), senderId, NOW);
		lane.sending("sent");
		lane.settled(new Outcome("sent", OutboxStatus.SENT, null, null), NOW);
		lane.sending("bounced");
		lane.settled(new Outcome("bounced", OutboxStatus.FAILED, "550 5.1.1 no such user", null), NOW);
		lane.sending("in-flight");
		// the process dies here: nothing after the claim reached the database
		killed(db, senderId);

		senders.reapDead(incident);
		int held = outbox.holdOrphanedSends(incident, NOW);

		assertThat(status(db, incident, "sent")).isEqualTo("SENT");
		assertThat(status(db, incident, "bounced")).isEqualTo("FAILED");
		assertThat(lastError(db, incident, "bounced")).isEqualTo("550 5.1.1 no such user");
		assertThat(status(db, incident, "in-flight")).isEqualTo("IN_DOUBT");
		assertThat(status(db, incident, "unsent")).isEqualTo("PENDING");
		assertThat(status(db, incident, "unjournaled")).as("no evidence: may have been sent").isEqualTo("IN_DOUBT");
		assertThat(status(db, incident, "untouched")).isEqualTo("PENDING");
		assertThat(held).isEqualTo(2);
		assertThat(journalDir).as("the journal is spent").isEmptyDirectory();
		lane.close();
	}

	@OnBothDatabases
	void aSenderWhoseLaneLostTheDatabaseIsSettledFromTheJournalWhenItRetires(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		Senders senders = senders(db, new LaneJournals(journalDir, "this-boot"));
		String incident = enqueue(outbox, "sent", "in-flight", "unsent");
		long senderId = senders.register(incident);
		OutboxLane lane = outbox.openLane(incident, senderId, senders.openJournal(senderId, 1));
		lane.claim(List.of("sent", "in-flight", "unsent"), NOW);
		lane.sending("sent");
		lane.settled(new Outcome("sent", OutboxStatus.SENT, null, null), NOW);
		lane.sending("in-flight");
		// the lane's database connection fails here: it ends without committing, as a failed lane does
		lane.close();
		assertThat(journalDir).as("kept for the sender to be settled from").isNotEmptyDirectory();

		senders.retire(incident, senderId);
		outbox.holdOrphanedSends(incident, NOW);

		assertThat(status(db, incident, "sent")).isEqualTo("SENT");
		assertThat(status(db, incident, "in-flight")).isEqualTo("IN_DOUBT");
		assertThat(status(db, incident, "unsent")).isEqualTo("PENDING");
		assertThat(senders.live(incident)).isEmpty();
		assertThat(journalDir).as("the journal is spent").isEmptyDirectory();
	}

	@OnBothDatabases
	void aSenderThatOnlyLooksStaleIsNeverResumedFromAJournal(MigratedDatabase db) {
		// silent for longer than staleAfter, yet alive: it may still send "a", so "a" must not become PENDING
		String status = afterReaping(db, "heartbeat_at", Timestamp.from(NOW.minus(Duration.ofHours(1))));

		assertThat(status).isEqualTo("IN_DOUBT");
	}

	@OnBothDatabases
	void aProcessThatGotTheDeadSendersPidBackStillSeesItGone(MigratedDatabase db) {
		// a restarted container: the new makegood runs under the pid its predecessor had, started later
		String status = afterReaping(db, "process_started_at",
				Timestamp.from(LocalProcess.STARTED.minus(Duration.ofMinutes(5))));

		assertThat(status).as("never handed to the transport").isEqualTo("PENDING");
	}

	@OnBothDatabases
	void aLiveSenderWhoseStartAnotherJvmPlacesASecondOffIsNotReaped(MigratedDatabase db) {
		// another JVM reads the boot time in whole seconds, or after the wall clock was stepped
		String status = afterReaping(db, "process_started_at",
				Timestamp.from(LocalProcess.STARTED.plus(Duration.ofSeconds(1))));

		assertThat(status).as("still this live sender's to send").isEqualTo("SENDING");
	}

	/**
	 * A sender of this very process claims "a" in a journaled lane; its mg_sender row is then changed, and a rerun
	 * reaps dead senders and holds their orphans.
	 * @return the status "a" ends in
	 */
	private String afterReaping(MigratedDatabase db, String senderColumn, Object value) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		Senders senders = senders(db, new LaneJournals(journalDir, "this-boot"));
		String incident = enqueue(outbox, "a");
		long senderId = senders.register(incident);
		try (OutboxLane lane = outbox.openLane(incident, senderId, senders.openJournal(senderId, 1))) {
			lane.claim(List.of("a"), NOW);
			db.jdbc().update("update mg_sender set " + senderColumn + " = ? where id = ?", value, senderId);

			senders.reapDead(incident);
			outbox.holdOrphanedSends(incident, NOW);
			return status(db, incident, "a");
		}
	}

	@OnBothDatabases
	void anUnreadableJournalHoldsTheDeadSendersRowsInDoubtAndDeliveryGoesOn(MigratedDatabase db) throws Exception {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		Senders senders = senders(db, new LaneJournals(journalDir, "this-boot"));
		String incident = enqueue(outbox, "a", "b");
		long senderId = senders.register(incident);
		outbox.claim(incident, List.of("a"), senderId, NOW);
		// where the lane's journal file should be, something no journal can be read from
		Files.createDirectories(journalDir.resolve("sender-" + senderId + "-lane-1.journal"));
		killed(db, senderId);

		senders.reapDead(incident);
		outbox.holdOrphanedSends(incident, NOW);

		assertThat(status(db, incident, "a")).isEqualTo("IN_DOUBT");
		assertThat(status(db, incident, "b")).isEqualTo("PENDING");
		assertThat(senders.live(incident)).isEmpty();
	}

	@OnBothDatabases
	void aDamagedJournalEntryHoldsTheDeadSendersRowsInDoubtAndDeliveryGoesOn(MigratedDatabase db) throws Exception {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		Senders senders = senders(db, new LaneJournals(journalDir, "this-boot"));
		String incident = enqueue(outbox, "a", "b");
		long senderId = senders.register(incident);
		OutboxLane lane = outbox.openLane(incident, senderId, senders.openJournal(senderId, 1));
		lane.claim(List.of("a", "b"), NOW);
		lane.sending("a");
		lane.settled(new Outcome("a", OutboxStatus.SENT, null, null), NOW);
		lane.close();
		Path journal = journalDir.resolve("sender-" + senderId + "-lane-1.journal");
		Files.writeString(journal, "D\tb\n", StandardOpenOption.APPEND);
		killed(db, senderId);

		senders.reapDead(incident);
		outbox.holdOrphanedSends(incident, NOW);

		assertThat(status(db, incident, "a")).as("its outcome is lost with the journal").isEqualTo("IN_DOUBT");
		assertThat(status(db, incident, "b")).isEqualTo("IN_DOUBT");
		assertThat(senders.live(incident)).isEmpty();
	}

	@OnBothDatabases
	void aJournalFromAnotherBootResumesNothing(MigratedDatabase db) throws Exception {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = enqueue(outbox, "a");
		Senders before = senders(db, new LaneJournals(journalDir, "boot-before-the-crash"));
		long senderId = before.register(incident);
		OutboxLane lane = outbox.openLane(incident, senderId, before.openJournal(senderId, 1));
		lane.claim(List.of("a"), NOW);
		killed(db, senderId);

		senders(db, new LaneJournals(journalDir, "boot-after-the-crash")).reapDead(incident);
		outbox.holdOrphanedSends(incident, NOW);

		assertThat(status(db, incident, "a")).isEqualTo("IN_DOUBT");
		lane.close();
	}

	private static Senders senders(MigratedDatabase db, LaneJournals journals) {
		return new Senders(db.jdbc(), db.dialect(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(1), journals);
	}

	/** Makes the sender's process one that has exited on this machine. */
	private static void killed(MigratedDatabase db, long senderId) throws Exception {
		Process exited = new ProcessBuilder("true").start();
		exited.waitFor();
		db.jdbc().update("update mg_sender set pid = ? where id = ?", exited.pid(), senderId);
	}

	private static String enqueue(OutboxRepository outbox, String... accountIds) {
		String incident = "inc-" + UUID.randomUUID();
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < accountIds.length; i++) {
			String id = accountIds[i];
			messages.add(new NewMessage(id, i + 1, id + "@example.com", 1, "<" + id + "@makegood>", false));
		}
		outbox.enqueue(incident, messages, NOW);
		return incident;
	}

	private static String status(MigratedDatabase db, String incident, String accountId) {
		return column(db, "status", incident, accountId, String.class);
	}

	private static String lastError(MigratedDatabase db, String incident, String accountId) {
		return column(db, "last_error", incident, accountId, String.class);
	}

	private static int attempts(MigratedDatabase db, String incident, String accountId) {
		return column(db, "attempts", incident, accountId, Integer.class);
	}

	private static <V> V column(MigratedDatabase db, String column, String incident, String accountId, Class<V> type) {
		return db.jdbc()
			.queryForObject("select " + column + " from mg_outbox where incident_id = ? and account_id = ?", type,
					incident, accountId);
	}

}
