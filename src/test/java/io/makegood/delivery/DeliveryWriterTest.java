package io.makegood.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.makegood.metrics.MakegoodMetrics;
import io.makegood.outbox.LaneJournal;
import io.makegood.outbox.LaneJournals;
import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.Senders;
import io.makegood.outbox.OutboxRepository.NewMessage;
import io.makegood.outbox.OutboxStatus;
import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import static io.makegood.outbox.OutboxStatus.FAILED;
import static io.makegood.outbox.OutboxStatus.IN_DOUBT;
import static io.makegood.outbox.OutboxStatus.PENDING;
import static io.makegood.outbox.OutboxStatus.RETRY;
import static io.makegood.outbox.OutboxStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The writer's state machine against a real outbox table. The transport is a small scripted one that records
 * what it was given and looks at the table while "sending"; SMTP itself is covered by the transport tests.
 */
class DeliveryWriterTest {

	private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final Duration RETRY_LATER = Duration.ofMinutes(10);

	private static final int MAX_ATTEMPTS = 3;

	@TempDir
	Path journalDir;

	@OnBothDatabases
	void everyClaimedRowEndsInTheStateItsOutcomeCallsFor(MigratedDatabase db) throws Exception {
		String incident = enqueue(db, "accepted", "rejected", "unknown", "busy", "flaky", "broken", "withdrawn",
				"sent-before", "orphan");
		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		outbox.claim(incident, List.of("sent-before"), 1, NOW);
		outbox.record(incident, List.of(new OutboxRepository.Outcome("sent-before", SENT, null, null)), NOW);
		// a sender id no live sender holds: the process that claimed it is gone
		outbox.claim(incident, List.of("orphan"), 999_999, NOW);
		ScriptedTransport transport = new ScriptedTransport(db, incident, 0);
		transport.script("accepted", SendOutcome.accepted("250 ok"));
		transport.script("rejected", SendOutcome.permanentFailure("550 no such user"));
		transport.script("unknown", SendOutcome.inDoubt("connection lost after DATA"));
		transport.script("busy", SendOutcome.transientFailure("451 busy"), SendOutcome.transientFailure("451 busy"),
				SendOutcome.transientFailure("451 still busy"), SendOutcome.accepted("250 too late"));
		transport.script("flaky", SendOutcome.transientFailure("421 try again"), SendOutcome.accepted("250 ok"));
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 2, new CircuitBreakerSettings(100, 100, 1.0));

		writer.beforeStep(stepOfExecution(2));
		writer.write(new Chunk<>(prepared(incident, "accepted"), prepared(incident, "rejected"),
				prepared(incident, "unknown"), prepared(incident, "busy"), prepared(incident, "flaky"),
				PreparedMessage.failed("broken", "missing variable credit.amount"),
				PreparedMessage.suppressed("withdrawn", "nothing left to claim"), prepared(incident, "sent-before"),
				prepared(incident, "orphan")));
		writer.afterStep(stepOfExecution(2));

		assertThat(statuses(db, incident)).containsExactlyInAnyOrderEntriesOf(Map.of("accepted", "SENT", "rejected",
				"FAILED", "unknown", "IN_DOUBT", "busy", "RETRY", "flaky", "SENT", "broken", "FAILED", "withdrawn",
				"SUPPRESSED", "sent-before", "SENT", "orphan", "IN_DOUBT"));
		assertThat(transport.attempts("busy")).isEqualTo(MAX_ATTEMPTS);
		assertThat(transport.attempts("flaky")).isEqualTo(2);
		assertThat(transport.attempts("broken") + transport.attempts("withdrawn") + transport.attempts("sent-before")
				+ transport.attempts("orphan")).isZero();
		assertThat(lastError(db, incident, "busy")).isEqualTo("451 still busy");
		assertThat(lastError(db, incident, "rejected")).isEqualTo("550 no such user");
		assertThat(lastError(db, incident, "broken")).isEqualTo("render: missing variable credit.amount");
		assertThat(lastError(db, incident, "withdrawn")).isEqualTo("nothing left to claim");
		assertThat(lastError(db, incident, "orphan")).contains("may have been delivered");
		assertThat(db.jdbc()
			.queryForObject("select next_attempt_at from mg_outbox where incident_id = ? and account_id = 'busy'",
					Timestamp.class, incident)
			.toInstant()).isEqualTo(NOW.plus(RETRY_LATER));
		assertThat(transport.problems).isEmpty();
		assertThat(transport.opened.get()).isBetween(1, 2).isEqualTo(transport.closed.get());
	}

	@OnBothDatabases
	void theBreakerHaltsDeliveryAndLeavesUnattemptedRowsPending(MigratedDatabase db) throws Exception {
		List<String> accounts = IntStream.range(0, 10).mapToObj(i -> "acc-" + i).toList();
		String incident = enqueue(db, accounts.toArray(String[]::new));
		ScriptedTransport transport = new ScriptedTransport(db, incident, 0);
		accounts.forEach(account -> transport.script(account, SendOutcome.permanentFailure("554 rejected")));
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 1, new CircuitBreakerSettings(4, 3, 0.5));
		writer.beforeStep(stepOfExecution(2));

		writer.write(new Chunk<>(accounts.stream().map(a -> prepared(incident, a)).toList()));
		ExitStatus exit = writer.afterStep(stepOfExecution(2));

		assertThat(exit.getExitCode()).isEqualTo(ExitStatus.FAILED.getExitCode());
		assertThat(exit.getExitDescription()).contains("3 of the last 3 attempts failed");
		assertThatExceptionOfType(DeliveryHaltedException.class)
			.isThrownBy(() -> writer.write(new Chunk<>(prepared(incident, "acc-0"))))
			.withMessageContaining("3 of the last 3 attempts failed");

		OutboxRepository outbox = new OutboxRepository(db.jdbc(), db.dialect());
		assertThat(outbox.countsByStatus(incident)).isEqualTo(Map.of(FAILED, 3L, PENDING, 7L));
		assertThat(transport.sent).hasSize(3);
		assertThat(db.count("select count(*) from mg_outbox where incident_id = ? and status = 'PENDING'"
				+ " and attempts = 0", incident)).isEqualTo(7);
	}

	@OnBothDatabases
	void everyMessageIsJournaledBeforeItIsSentSoACrashLeavesOneInDoubtPerConnection(MigratedDatabase db)
			throws Exception {
		List<String> accounts = IntStream.range(0, 24).mapToObj(i -> String.format("acc-%02d", i)).toList();
		String incident = enqueue(db, accounts.toArray(String[]::new));
		LaneJournals journals = LaneJournals.in(journalDir);
		ScriptedTransport transport = new ScriptedTransport(db, incident, 5).journaledIn(journals);
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 3, new CircuitBreakerSettings(100, 100, 1.0),
				journals);
		writer.beforeStep(stepOfExecution(2));

		for (List<String> chunk : List.of(accounts.subList(0, 10), accounts.subList(10, 20), accounts.subList(20, 24))) {
			writer.write(new Chunk<>(chunk.stream().map(a -> prepared(incident, a)).toList()));
		}
		writer.afterStep(stepOfExecution(2));

		assertThat(db.count("select count(*) from mg_outbox where incident_id = ? and status = 'SENDING'", incident))
			.isZero();

		assertThat(transport.problems).isEmpty();
		assertThat(transport.maxInFlight.get()).as("the message in hand, per connection").isBetween(1, 3);
		assertThat(transport.maxSending.get()).as("claimed batches").isGreaterThan(3);
		assertThat(transport.sent).hasSize(24).doesNotHaveDuplicates();
		assertThat(journalDir).as("a lane that ends deletes its journal").isEmptyDirectory();
		assertThat(new OutboxRepository(db.jdbc(), db.dialect()).countsByStatus(incident))
			.isEqualTo(Map.of(SENT, 24L));
		assertThat(transport.opened.get()).isLessThanOrEqualTo(3);
	}

	/** A transport that fails in a way it cannot classify may already have sent the data: never a RETRY. */
	@OnBothDatabases
	void anUnclassifiedTransportFailureIsHeldInDoubtWithoutTheAddress(MigratedDatabase db) throws Exception {
		String incident = enqueue(db, "bob");
		AtomicInteger sends = new AtomicInteger();
		MailTransport transport = () -> new TransportSession() {
			@Override
			public SendOutcome send(OutgoingMessage message) {
				sends.incrementAndGet();
				throw new IllegalArgumentException("unexpected reply for <bob@example.com>");
			}

			@Override
			public void close() {
			}
		};
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 1, new CircuitBreakerSettings(100, 100, 1.0));

		writer.beforeStep(stepOfExecution(2));
		writer.write(new Chunk<>(prepared(incident, "bob")));
		writer.afterStep(stepOfExecution(2));

		assertThat(statuses(db, incident)).containsExactlyEntriesOf(Map.of("bob", "IN_DOUBT"));
		assertThat(sends.get()).as("not retried").isEqualTo(1);
		assertThat(lastError(db, incident, "bob")).isEqualTo("transport error: unexpected reply for <[recipient]>");
	}

	/**
	 * The server accepted, then the lane could not note it (here its thread is interrupted, so the journal's
	 * channel closes; a full disk does the same): the row must not go back to PENDING, or the next run sends it
	 * again. It stays SENDING and the next run holds it IN_DOUBT.
	 */
	@OnBothDatabases
	void aSentMessageWhoseOutcomeCannotBeNotedIsNeverReleased(MigratedDatabase db) throws Exception {
		String incident = enqueue(db, "bob");
		MailTransport transport = () -> new TransportSession() {
			@Override
			public SendOutcome send(OutgoingMessage message) {
				Thread.currentThread().interrupt();
				return SendOutcome.accepted("250 ok");
			}

			@Override
			public void close() {
			}
		};
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 1, new CircuitBreakerSettings(100, 100, 1.0),
				LaneJournals.in(journalDir));

		writer.beforeStep(stepOfExecution(2));
		writer.write(new Chunk<>(prepared(incident, "bob")));
		ExitStatus exit = writer.afterStep(stepOfExecution(2));

		assertThat(exit.getExitCode()).as("the lane failed").isEqualTo(ExitStatus.FAILED.getExitCode());
		assertThat(statuses(db, incident)).containsExactlyEntriesOf(Map.of("bob", "SENDING"));
		new OutboxRepository(db.jdbc(), db.dialect()).holdOrphanedSends(incident, NOW);
		assertThat(statuses(db, incident)).containsExactlyEntriesOf(Map.of("bob", "IN_DOUBT"));
	}

	/**
	 * Another process reaped this sender (its heartbeat looked stale: a long pause, or clocks apart) and held its
	 * rows IN_DOUBT. The sender notices at its next heartbeat and stops, instead of sending on under an id no
	 * longer registered, whose outcomes would match nothing.
	 */
	@OnBothDatabases
	void aSenderThatWasReapedStopsAtItsNextHeartbeat(MigratedDatabase db) throws Exception {
		List<String> accounts = IntStream.range(0, 40).mapToObj(i -> String.format("acc-%02d", i)).toList();
		String incident = enqueue(db, accounts.toArray(String[]::new));
		ScriptedTransport transport = new ScriptedTransport(db, incident, 50);
		DeliveryWriter<PreparedMessage> writer = writer(db, incident, transport, 1, new CircuitBreakerSettings(100, 100, 1.0),
				LaneJournals.none(), Duration.ofMillis(100));
		writer.beforeStep(stepOfExecution(2));
		writer.write(new Chunk<>(accounts.stream().map(a -> prepared(incident, a)).toList()));

		db.jdbc().update("delete from mg_sender where incident_id = ?", incident);
		ExitStatus exit = writer.afterStep(stepOfExecution(2));

		assertThat(exit.getExitCode()).isEqualTo(ExitStatus.FAILED.getExitCode());
		assertThat(exit.getExitDescription()).contains("took this one for a dead sender");
		assertThat(transport.sent.size()).as("stopped well before the end").isLessThan(30);
	}

	record CircuitBreakerSettings(int window, int minimumAttempts, double ratio) {
	}

	private static DeliveryWriter<PreparedMessage> writer(MigratedDatabase db, String incident, MailTransport transport,
			int connections, CircuitBreakerSettings breaker) {
		return writer(db, incident, transport, connections, breaker, LaneJournals.none());
	}

	private static DeliveryWriter<PreparedMessage> writer(MigratedDatabase db, String incident, MailTransport transport,
			int connections, CircuitBreakerSettings breaker, LaneJournals journals) {
		return writer(db, incident, transport, connections, breaker, journals, Duration.ofSeconds(5));
	}

	private static DeliveryWriter<PreparedMessage> writer(MigratedDatabase db, String incident, MailTransport transport,
			int connections, CircuitBreakerSettings breaker, LaneJournals journals, Duration heartbeat) {
		DeliveryWriter.Settings settings = new DeliveryWriter.Settings(connections,
				DeliveryWriter.transientRetry(MAX_ATTEMPTS, Duration.ofMillis(1)), RETRY_LATER, breaker.window(),
				breaker.minimumAttempts(), breaker.ratio(), heartbeat);
		return new DeliveryWriter<>(incident, Function.identity(), new OutboxRepository(db.jdbc(), db.dialect()),
				new Senders(db.jdbc(), db.dialect(), CLOCK, Duration.ofMinutes(1), journals),
				new SuppressionList(db.jdbc(), db.dialect()), transport, SendRate.local(0, Map.of()),
				settings, new MakegoodMetrics(new SimpleMeterRegistry()), CLOCK);
	}

	private static StepExecution stepOfExecution(long jobExecutionId) {
		return new StepExecution("deliver",
				new JobExecution(jobExecutionId, new JobInstance(1L, "recovery"), new JobParameters()));
	}

	private static String enqueue(MigratedDatabase db, String... accounts) {
		String incident = "inc-" + UUID.randomUUID();
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < accounts.length; i++) {
			messages.add(new NewMessage(accounts[i], i + 1, accounts[i] + "@example.com", 1,
					"<" + accounts[i] + "@makegood>", false));
		}
		new OutboxRepository(db.jdbc(), db.dialect()).enqueue(incident, messages, NOW);
		return incident;
	}

	private static PreparedMessage prepared(String incident, String account) {
		return PreparedMessage.of(new OutgoingMessage(incident, account, "bounces@example.com",
				account + "@example.com", "<" + account + "@makegood>",
				"Subject: sorry\r\n\r\nsorry\r\n".getBytes(StandardCharsets.US_ASCII)));
	}

	private static Map<String, String> statuses(MigratedDatabase db, String incident) {
		Map<String, String> statuses = new HashMap<>();
		db.jdbc().query("select account_id, status from mg_outbox where incident_id = ?",
				rs -> {
					statuses.put(rs.getString(1), rs.getString(2));
				}, incident);
		return statuses;
	}

	private static String lastError(MigratedDatabase db, String incident, String account) {
		return db.jdbc().queryForObject("select last_error from mg_outbox where incident_id = ? and account_id = ?",
				String.class, incident, account);
	}

	/**
	 * Answers each account with its scripted outcomes in turn (accepted when none are left), and checks the
	 * outbox from the sending thread: the row must already be committed as SENDING, and at most as many rows as
	 * there are sessions may be in flight.
	 */
	private static final class ScriptedTransport implements MailTransport {

		private final MigratedDatabase db;

		private final String incident;

		private final long sendMillis;

		private final Map<String, Deque<SendOutcome>> scripts = new HashMap<>();

		final List<String> sent = Collections.synchronizedList(new ArrayList<>());

		final List<String> problems = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger opened = new AtomicInteger();

		final AtomicInteger closed = new AtomicInteger();

		final AtomicInteger maxSending = new AtomicInteger();

		final AtomicInteger maxInFlight = new AtomicInteger();

		private LaneJournals journals;

		ScriptedTransport(MigratedDatabase db, String incident, long sendMillis) {
			this.db = db;
			this.incident = incident;
			this.sendMillis = sendMillis;
		}

		ScriptedTransport journaledIn(LaneJournals journals) {
			this.journals = journals;
			return this;
		}

		/** What a rerun would hold IN_DOUBT if the process died now, checking this message is among it. */
		private void checkJournal(String account) {
			List<Long> senders = db.jdbc()
				.queryForList("select id from mg_sender where incident_id = ?", Long.class, incident);
			Map<String, LaneJournal.Evidence> evidence = new HashMap<>();
			senders.forEach(sender -> evidence.putAll(journals.evidenceOf(sender)));
			if (!(evidence.get(account) instanceof LaneJournal.Evidence.InFlight)) {
				problems.add(account + " reached the transport before its journal said so");
			}
			int inFlight = (int) evidence.values().stream().filter(LaneJournal.Evidence.InFlight.class::isInstance).count();
			maxInFlight.accumulateAndGet(inFlight, Math::max);
		}

		void script(String account, SendOutcome... outcomes) {
			scripts.put(account, new ArrayDeque<>(List.of(outcomes)));
		}

		int attempts(String account) {
			return Collections.frequency(List.copyOf(sent), account);
		}

		@Override
		public TransportSession openSession() {
			opened.incrementAndGet();
			AtomicBoolean busy = new AtomicBoolean();
			return new TransportSession() {

				@Override
				public SendOutcome send(OutgoingMessage message) {
					if (!busy.compareAndSet(false, true)) {
						problems.add("a session was used by two threads at once");
					}
					try {
						sent.add(message.accountId());
						String status = db.jdbc()
							.queryForObject("select status from mg_outbox where incident_id = ? and account_id = ?",
									String.class, incident, message.accountId());
						if (!OutboxStatus.SENDING.name().equals(status)) {
							problems.add(message.accountId() + " reached the transport while " + status);
						}
						long sending = db.count(
								"select count(*) from mg_outbox where incident_id = ? and status = 'SENDING'", incident);
						maxSending.accumulateAndGet((int) sending, Math::max);
						if (journals != null) {
							try {
								checkJournal(message.accountId());
							}
							catch (RuntimeException ex) {
								problems.add("the journals could not be read while " + message.accountId() + " was sent: " + ex);
							}
						}
						sleep();
						synchronized (scripts) {
							Deque<SendOutcome> script = scripts.get(message.accountId());
							return script == null || script.isEmpty() ? SendOutcome.accepted("250 ok") : script.poll();
						}
					}
					finally {
						busy.set(false);
					}
				}

				@Override
				public void close() {
					closed.incrementAndGet();
				}

			};
		}

		private void sleep() {
			try {
				Thread.sleep(sendMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
