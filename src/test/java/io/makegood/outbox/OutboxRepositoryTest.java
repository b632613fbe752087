package io.makegood.outbox;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import io.makegood.delivery.CoveredAccount;
import io.makegood.outbox.OutboxRepository.NewMessage;
import io.makegood.outbox.OutboxRepository.Outcome;
import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;

import static io.makegood.outbox.OutboxStatus.FAILED;
import static io.makegood.outbox.OutboxStatus.IN_DOUBT;
import static io.makegood.outbox.OutboxStatus.PENDING;
import static io.makegood.outbox.OutboxStatus.RETRY;
import static io.makegood.outbox.OutboxStatus.SENDING;
import static io.makegood.outbox.OutboxStatus.SENT;
import static io.makegood.outbox.OutboxStatus.SUPPRESSED;
import static org.assertj.core.api.Assertions.assertThat;

/** The outbox state machine on both real databases: every transition is a conditional UPDATE. */
class OutboxRepositoryTest {

	private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

	@OnBothDatabases
	void enqueueIsIdempotent(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();

		int first = outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), suppressed("c", 3)), NOW);
		int again = outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), message("d", 4)), NOW);
		int twiceInOneBatch = outbox.enqueue(incident, List.of(message("e", 5), message("e", 5)), NOW);

		assertThat(first).isEqualTo(3);
		assertThat(again).isEqualTo(1);
		assertThat(twiceInOneBatch).isEqualTo(1);
		assertThat(outbox.countsByStatus(incident)).isEqualTo(Map.of(PENDING, 4L, SUPPRESSED, 1L));
		assertThat(status(db, incident, "c")).isEqualTo("SUPPRESSED");
	}

	@OnBothDatabases
	void claimTakesOnlySendableRowsAndOnlyOnce(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), suppressed("c", 3), message("d", 4)),
				NOW);
		setStatus(db, incident, "b", RETRY);
		setStatus(db, incident, "d", SENT);

		List<String> claimed = outbox.claim(incident, List.of("a", "b", "c", "d", "missing"), 7, NOW);
		List<String> again = outbox.claim(incident, List.of("a", "b"), 8, NOW);

		assertThat(claimed).containsExactly("a", "b");
		assertThat(again).isEmpty();
		assertThat(db.jdbc()
			.queryForList("select account_id from mg_outbox where incident_id = ? and status = 'SENDING'"
					+ " and claimed_by = 7 and attempts = 1 order by account_id", String.class, incident))
			.containsExactly("a", "b");
		assertThat(status(db, incident, "c")).isEqualTo("SUPPRESSED");
		assertThat(status(db, incident, "d")).isEqualTo("SENT");
	}

	@OnBothDatabases
	void concurrentClaimersEachGetADisjointShareOfTheRows(MigratedDatabase db) throws Exception {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		List<String> ids = IntStream.range(0, 80).mapToObj(i -> String.format("acc-%03d", i)).toList();
		outbox.enqueue(incident, IntStream.range(0, ids.size()).mapToObj(i -> message(ids.get(i), i)).toList(), NOW);
		List<String> shuffled = new ArrayList<>(ids);
		Collections.shuffle(shuffled, new Random(42));
		List<String> reversed = new ArrayList<>(ids);
		Collections.reverse(reversed);
		CyclicBarrier start = new CyclicBarrier(4);

		// two claim row by row (as the delivery writer does), two claim in batches of the same rows
		List<CompletableFuture<List<String>>> claimers = List.of(
				CompletableFuture.supplyAsync(() -> claimOneByOne(outbox, incident, ids, 1, start)),
				CompletableFuture.supplyAsync(() -> claimOneByOne(outbox, incident, shuffled, 2, start)),
				CompletableFuture.supplyAsync(() -> claimInBatches(outbox, incident, ids, 3, start)),
				CompletableFuture.supplyAsync(() -> claimInBatches(outbox, incident, reversed, 4, start)));

		List<String> all = new ArrayList<>();
		for (CompletableFuture<List<String>> claimer : claimers) {
			all.addAll(claimer.get());
		}
		assertThat(all).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(db.count("select count(*) from mg_outbox where incident_id = ? and attempts = 1", incident))
			.isEqualTo(ids.size());
	}

	private static List<String> claimOneByOne(OutboxRepository outbox, String incident, List<String> ids,
			long executionId, CyclicBarrier start) {
		await(start);
		List<String> mine = new ArrayList<>();
		for (String id : ids) {
			mine.addAll(outbox.claim(incident, List.of(id), executionId, NOW));
		}
		return mine;
	}

	private static List<String> claimInBatches(OutboxRepository outbox, String incident, List<String> ids,
			long executionId, CyclicBarrier start) {
		await(start);
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < ids.size(); i += 20) {
			mine.addAll(outbox.claim(incident, ids.subList(i, i + 20), executionId, NOW));
		}
		return mine;
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@OnBothDatabases
	void recordMovesOnlySendingRows(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), message("c", 3), message("d", 4),
				message("e", 5)), NOW);
		outbox.claim(incident, List.of("a", "b", "c", "d"), 7, NOW);
		Instant later = NOW.plusSeconds(600);

		outbox.record(incident, List.of(new Outcome("a", SENT, null, null), new Outcome("b", FAILED, "550 no", null),
				new Outcome("c", RETRY, "451 later", later), new Outcome("d", IN_DOUBT, "timeout", null),
				new Outcome("e", SENT, null, null)), NOW);
		// a late duplicate outcome must not move a row that already left SENDING
		outbox.record(incident, List.of(new Outcome("a", FAILED, "late", null)), NOW);

		assertThat(outbox.countsByStatus(incident))
			.isEqualTo(Map.of(SENT, 1L, FAILED, 1L, RETRY, 1L, IN_DOUBT, 1L, PENDING, 1L));
		Map<String, Object> sent = row(db, incident, "a");
		assertThat(sent.get("sent_at")).isNotNull();
		assertThat(sent.get("last_error")).isNull();
		assertThat(row(db, incident, "b").get("last_error")).isEqualTo("550 no");
		assertThat(row(db, incident, "b").get("sent_at")).isNull();
		assertThat(db.jdbc()
			.queryForObject("select next_attempt_at from mg_outbox where incident_id = ? and account_id = 'c'",
					Timestamp.class, incident)
			.toInstant()).isEqualTo(later);
		assertThat(row(db, incident, "e").get("sent_at")).isNull();
		assertThat(outbox.unfinished(incident)).isEqualTo(2);
	}

	@OnBothDatabases
	void recordTruncatesLongReasons(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		outbox.enqueue(incident, List.of(message("a", 1)), NOW);
		outbox.claim(incident, List.of("a"), 7, NOW);

		outbox.record(incident, List.of(new Outcome("a", FAILED, "x".repeat(5000), null)), NOW);

		assertThat((String) row(db, incident, "a").get("last_error")).hasSize(1000);
	}

	@OnBothDatabases
	void orphanedSendsOfSendersThatAreGoneAreHeldInDoubt(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		String other = incident();
		outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), message("c", 3)), NOW);
		outbox.enqueue(other, List.of(message("a", 1)), NOW);
		outbox.claim(incident, List.of("a"), 6, NOW);
		outbox.claim(incident, List.of("b"), 7, NOW);
		outbox.claim(other, List.of("a"), 6, NOW);
		db.jdbc().update("insert into mg_sender (id, incident_id, host, pid, started_at, heartbeat_at)"
				+ " values (7, ?, 'here', 1, current_timestamp, current_timestamp)", incident);

		int held = outbox.holdOrphanedSends(incident, NOW);

		assertThat(held).isEqualTo(1);
		assertThat(status(db, incident, "a")).isEqualTo("IN_DOUBT");
		assertThat((String) row(db, incident, "a").get("last_error")).contains("may have been delivered");
		assertThat(status(db, incident, "b")).isEqualTo("SENDING");
		assertThat(status(db, incident, "c")).isEqualTo("PENDING");
		assertThat(status(db, other, "a")).isEqualTo("SENDING");
		assertThat(outbox.claim(incident, List.of("a"), 7, NOW)).isEmpty();
	}

	@OnBothDatabases
	void earlierRetriesBecomeDueForANewRun(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		Instant later = NOW.plusSeconds(600);
		outbox.enqueue(incident, List.of(message("a", 1), message("b", 2)), NOW);
		outbox.claim(incident, List.of("a"), 6, NOW);
		outbox.claim(incident, List.of("b"), 7, NOW);
		outbox.record(incident, List.of(new Outcome("a", RETRY, "451", later)), NOW);
		outbox.record(incident, List.of(new Outcome("b", RETRY, "451", later)), NOW.plusSeconds(5));

		int due = outbox.makeEarlierRetriesDue(incident, NOW.plusSeconds(1));

		assertThat(due).isEqualTo(1);
		assertThat(row(db, incident, "a").get("next_attempt_at")).isNull();
		assertThat(row(db, incident, "b").get("next_attempt_at")).isNotNull();
	}

	@OnBothDatabases
	void countsByStatusAndTopFailureReasons(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		outbox.enqueue(incident, List.of(message("a", 1), message("b", 2), message("c", 3), message("d", 4)), NOW);
		outbox.claim(incident, List.of("a", "b", "c"), 7, NOW);
		outbox.record(incident, List.of(new Outcome("a", FAILED, "550 no", null),
				new Outcome("b", FAILED, "550 no", null), new Outcome("c", IN_DOUBT, "timeout", null)), NOW);

		assertThat(outbox.countsByStatus(incident)).isEqualTo(Map.of(FAILED, 2L, IN_DOUBT, 1L, PENDING, 1L));
		assertThat(outbox.countsByStatus(incident())).isEmpty();
		assertThat(outbox.topFailureReasons(incident, 1)).containsExactly(new OutboxRepository.Reason("550 no", 2));
		assertThat(outbox.topFailureReasons(incident, 5)).containsExactly(new OutboxRepository.Reason("550 no", 2),
				new OutboxRepository.Reason("timeout", 1));
	}

	@OnBothDatabases
	void coveredByListsTheOtherAccountsOfASharedAddress(MigratedDatabase db) {
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		String incident = incident();
		audience(db, incident, 1, "a", "a");
		audience(db, incident, 2, "b", "a");
		audience(db, incident, 3, "c", "a");
		audience(db, incident, 4, "d", "d");
		credit(db, incident, "a", "5.00");
		credit(db, incident, "b", "7.50");
		credit(db, incident, "c", "1.25");
		credit(db, incident, "d", "5.00");

		List<CoveredAccount> covered = outbox.coveredBy(incident, "a");

		assertThat(covered).extracting(CoveredAccount::accountId).containsExactly("b", "c");
		assertThat(covered.get(0).credit().amount().amount()).isEqualByComparingTo("7.50");
		assertThat(covered.get(0).credit().amount().currencyCode()).isEqualTo("EUR");
		assertThat(outbox.coveredBy(incident, "d")).isEmpty();
	}

	private static String incident() {
		return "inc-" + UUID.randomUUID();
	}

	private static NewMessage message(String accountId, long seq) {
		return new NewMessage(accountId, seq, accountId + "@example.com", 1, "<" + accountId + "@makegood>", false);
	}

	private static NewMessage suppressed(String accountId, long seq) {
		return new NewMessage(accountId, seq, accountId + "@example.com", 1, "<" + accountId + "@makegood>", true);
	}

	private static void setStatus(MigratedDatabase db, String incident, String accountId, OutboxStatus status) {
		db.jdbc().update("update mg_outbox set status = ? where incident_id = ? and account_id = ?", status.name(),
				incident, accountId);
	}

	private static String status(MigratedDatabase db, String incident, String accountId) {
		return (String) row(db, incident, accountId).get("status");
	}

	private static Map<String, Object> row(MigratedDatabase db, String incident, String accountId) {
		return db.jdbc()
			.queryForMap("select status, sent_at, last_error, next_attempt_at from mg_outbox"
					+ " where incident_id = ? and account_id = ?", incident, accountId);
	}

	private static void audience(MigratedDatabase db, String incident, long seq, String accountId, String primary) {
		db.jdbc()
			.update("insert into mg_audience (incident_id, seq, account_id, email, email_key, primary_account_id)"
					+ " values (?, ?, ?, ?, ?, ?)", incident, seq, accountId, "shared@example.com",
					"shared@example.com", primary);
	}

	private static void credit(MigratedDatabase db, String incident, String accountId, String amount) {
		Timestamp at = Timestamp.from(NOW);
		db.jdbc()
			.update("insert into mg_credit (incident_id, account_id, kind, amount, currency, status, created_at,"
					+ " updated_at) values (?, ?, 'FIXED', ?, 'EUR', 'APPLIED', ?, ?)", incident, accountId,
					new BigDecimal(amount), at, at);
	}

}
