package io.makegood.audience;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.makegood.support.MigratedDatabase;
import io.makegood.support.OnBothDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Freezing an audience on both real databases. */
class AudienceSnapshotTest {

	private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final Function<AudienceRow, Optional<AudienceRules.Reject>> NO_EXTRA_CHECK = row -> Optional
		.empty();

	@OnBothDatabases
	void acceptsRowsInSourceOrder(MigratedDatabase db) {
		String incident = incident(db);

		AudienceSnapshot.Result result = snapshot(db).take(incident,
				source(row("b", "b@example.com"), row("a", "A@Example.com")), NO_EXTRA_CHECK);

		assertThat(result.alreadyFrozen()).isFalse();
		assertThat(result.accepted()).isEqualTo(2);
		assertThat(result.rejectsByReason()).isEmpty();
		assertThat(db.jdbc()
			.query("select seq, account_id, email, email_key, primary_account_id, covers from mg_audience"
					+ " where incident_id = ? order by seq", (rs, n) -> tuple(rs.getLong(1), rs.getString(2),
							rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)), incident))
			.containsExactly(tuple(1L, "b", "b@example.com", "b@example.com", "b", 1),
					tuple(2L, "a", "A@Example.com", "a@example.com", "a", 1));
		assertThat(snapshot(db).isFrozen(incident)).isTrue();
	}

	@OnBothDatabases
	void duplicateAccountsAreRejectedWithTheirRowNumbers(MigratedDatabase db) {
		String incident = incident(db);
		// batch size 2: one duplicate lands in the same insert batch as its original, one in a later batch
		AudienceSource source = source(row("a", "a@example.com"), row("a", "other@example.com"),
				row("b", "b@example.com"), row("c", "not-an-address"), row("d", "d@example.com"),
				row("b", "b@example.com"));

		AudienceSnapshot.Result result = new AudienceSnapshot(db.jdbc(), db.dialect(), 2, CLOCK).take(incident,
				source, NO_EXTRA_CHECK);

		assertThat(result.accepted()).isEqualTo(3);
		assertThat(result.rejectsByReason()).isEqualTo(Map.of("duplicate-account", 2L, "invalid-email", 1L));
		assertThat(rejects(db, incident)).containsExactly(tuple(2L, "a", "duplicate-account"),
				tuple(4L, "c", "invalid-email"), tuple(6L, "b", "duplicate-account"));
		// the first occurrence wins
		assertThat(db.jdbc().queryForObject("select email from mg_audience where incident_id = ? and account_id = 'a'",
				String.class, incident)).isEqualTo("a@example.com");
	}

	@OnBothDatabases
	void aSourceReadInAccountOrderHasItsRepeatsRejectedAndItsValuesStoredIntact(MigratedDatabase db) {
		String incident = incident(db);
		AudienceRow awkward = new AudienceRow("c", "c@example.com", "O\\Brien Zoë", "basic", "EUR",
				new BigDecimal("0.010000"), "en", Map.of("note", "tab\there, back\\slash"));
		AudienceSource source = inAccountOrder(row("a", "a@example.com"), row("a", "other@example.com"),
				row("b", "not-an-address"), row("b", "b@example.com"), awkward, row("c", "again@example.com"));

		AudienceSnapshot.Result result = new AudienceSnapshot(db.jdbc(), db.dialect(), 2, CLOCK).take(incident,
				source, NO_EXTRA_CHECK);

		assertThat(result.accepted()).isEqualTo(3);
		assertThat(rejects(db, incident)).containsExactly(tuple(2L, "a", "duplicate-account"),
				tuple(3L, "b", "invalid-email"), tuple(6L, "c", "duplicate-account"));
		assertThat(db.jdbc().queryForList("select email from mg_audience where incident_id = ? order by seq",
				String.class, incident)).containsExactly("a@example.com", "b@example.com", "c@example.com");
		assertThat(db.jdbc().queryForObject("select " + SnapshotReaders.COLUMNS
				+ " from mg_audience where incident_id = ? and account_id = 'c'", (rs, n) -> SnapshotReaders.account(rs),
				incident).row()).isEqualTo(awkward);
	}

	@OnBothDatabases
	void aRepeatOutOfTheOrderASourcePromisedIsStillRejectedInsideTheStepsTransaction(MigratedDatabase db) {
		String incident = incident(db);
		AudienceSource source = inAccountOrder(row("a", "a@example.com"), row("b", "b@example.com"),
				row("a", "other@example.com"), row("c", "c@example.com"));

		AudienceSnapshot.Result result = db.transactionTemplate()
			.execute(status -> new AudienceSnapshot(db.jdbc(), db.dialect(), 10, CLOCK).take(incident, source,
					NO_EXTRA_CHECK));

		assertThat(result.accepted()).isEqualTo(3);
		assertThat(rejects(db, incident)).containsExactly(tuple(3L, "a", "duplicate-account"));
		assertThat(db.jdbc().queryForObject("select email from mg_audience where incident_id = ? and account_id = 'a'",
				String.class, incident)).isEqualTo("a@example.com");
	}

	@OnBothDatabases
	void extraChecksRejectRows(MigratedDatabase db) {
		String incident = incident(db);

		AudienceSnapshot.Result result = snapshot(db).take(incident,
				source(row("a", "a@example.com"), row("b", "b@example.com")),
				row -> row.accountId().equals("b") ? Optional.of(new AudienceRules.Reject("missing-fee", "no fee"))
						: Optional.empty());

		assertThat(result.accepted()).isOne();
		assertThat(rejects(db, incident)).containsExactly(tuple(2L, "b", "missing-fee"));
	}

	@OnBothDatabases
	void suppressedAddressesStayInTheAudienceMarkedWithTheReason(MigratedDatabase db) {
		String incident = incident(db);
		String address = "gone-" + UUID.randomUUID() + "@example.com";
		db.jdbc()
			.update("insert into mg_suppression (email_key, reason, created_at) values (?, 'unsubscribed', ?)",
					address, Timestamp.from(NOW));

		AudienceSnapshot.Result result = snapshot(db).take(incident,
				source(row("a", address.toUpperCase()), row("b", "b@example.com")), NO_EXTRA_CHECK);

		assertThat(result.accepted()).isEqualTo(2);
		assertThat(result.suppressed()).isOne();
		assertThat(db.jdbc()
			.query("select account_id, suppressed from mg_audience where incident_id = ? order by account_id",
					(rs, n) -> tuple(rs.getString(1), rs.getString(2)), incident))
			.containsExactly(tuple("a", "unsubscribed"), tuple("b", null));
	}

	@OnBothDatabases
	void accountsSharingAnAddressAreAnnouncedByTheLowestAccountId(MigratedDatabase db) {
		String incident = incident(db);

		AudienceSnapshot.Result result = snapshot(db).take(incident,
				source(row("b2", "family@example.com"), row("c3", "Family@Example.com"), row("d4", "d@example.com"),
						row("a1", "FAMILY@example.com")),
				NO_EXTRA_CHECK);

		assertThat(result.sharedAddressAccounts()).isEqualTo(2);
		assertThat(db.jdbc()
			.query("select account_id, primary_account_id, covers from mg_audience where incident_id = ?"
					+ " order by account_id", (rs, n) -> tuple(rs.getString(1), rs.getString(2), rs.getInt(3)),
					incident))
			.containsExactly(tuple("a1", "a1", 3), tuple("b2", "a1", 1), tuple("c3", "a1", 1), tuple("d4", "d4", 1));
	}

	@OnBothDatabases
	void anInterruptedSnapshotIsDiscardedAndTakenAgain(MigratedDatabase db) {
		String incident = incident(db);
		db.jdbc()
			.update("insert into mg_audience (incident_id, seq, account_id, email, email_key, primary_account_id)"
					+ " values (?, 1, 'stale', 'stale@example.com', 'stale@example.com', 'stale')", incident);
		db.jdbc()
			.update("insert into mg_audience_reject (incident_id, row_no, account_id, reason)"
					+ " values (?, 9, 'x', 'invalid-email')", incident);
		assertThat(snapshot(db).isFrozen(incident)).isFalse();

		AudienceSnapshot.Result result = snapshot(db).take(incident, source(row("a", "a@example.com")),
				NO_EXTRA_CHECK);

		assertThat(result.alreadyFrozen()).isFalse();
		assertThat(result.accepted()).isOne();
		assertThat(result.rejectsByReason()).isEmpty();
		assertThat(db.jdbc().queryForList("select account_id from mg_audience where incident_id = ?", String.class,
				incident)).containsExactly("a");
	}

	@OnBothDatabases
	void aFrozenSnapshotIsNotTakenAgainEvenIfTheSourceChanged(MigratedDatabase db) {
		String incident = incident(db);
		AudienceSnapshot.Result first = snapshot(db).take(incident,
				source(row("a", "a@example.com"), row("b", "bad")), NO_EXTRA_CHECK);

		AudienceSnapshot.Result again = snapshot(db).take(incident,
				source(row("a", "a@example.com"), row("c", "c@example.com"), row("d", "d@example.com")),
				NO_EXTRA_CHECK);

		assertThat(again.alreadyFrozen()).isTrue();
		assertThat(again).usingRecursiveComparison().ignoringFields("alreadyFrozen").isEqualTo(first);
		assertThat(db.jdbc().queryForList("select account_id from mg_audience where incident_id = ?", String.class,
				incident)).containsExactly("a");
	}

	@OnBothDatabases
	void theFingerprintCoversEachAccountsAddressCurrencyAndFee(MigratedDatabase db) {
		List<AudienceRow> rows = new ArrayList<>(List.of(row("a", "a@example.com"), row("b", "b@example.com"),
				row("c", "c@example.com")));
		String first = fingerprint(db, rows);
		Collections.reverse(rows);
		String reordered = fingerprint(db, rows);
		// one mailbox written in another case, one fee at another scale: no credit or recipient changes
		String sameMailboxAndFee = fingerprint(db, List.of(row("a", "A@Example.com"), row("b", "b@example.com"),
				row("c", "c@example.com", "EUR", "9.990000")));
		String otherAddress = fingerprint(db, List.of(row("a", "a@example.com"), row("b", "x@example.com"),
				row("c", "c@example.com")));
		String sharedAddress = fingerprint(db, List.of(row("a", "a@example.com"), row("b", "a@example.com"),
				row("c", "c@example.com")));
		String otherFee = fingerprint(db, List.of(row("a", "a@example.com"), row("b", "b@example.com"),
				row("c", "c@example.com", "EUR", "999")));
		String otherCurrency = fingerprint(db, List.of(row("a", "a@example.com"), row("b", "b@example.com"),
				row("c", "c@example.com", "USD", "9.99")));
		String otherAccounts = fingerprint(db, List.of(row("a", "a@example.com"), row("b", "b@example.com")));

		assertThat(first).matches("3:[0-9a-f]{32}");
		assertThat(reordered).isEqualTo(first);
		assertThat(sameMailboxAndFee).isEqualTo(first);
		assertThat(List.of(otherAddress, sharedAddress, otherFee, otherCurrency)).doesNotContain(first)
			.doesNotHaveDuplicates();
		assertThat(otherAccounts).startsWith("2:").isNotEqualTo(first);
	}

	@OnBothDatabases
	void aPreviewsScratchFingerprintIsTheOneTheRunFreezes(MigratedDatabase db) {
		AudienceSource source = source(row("a", "a@example.com"), row("b", "a@example.com"),
				row("c", "c@example.com", "USD", "15.49"), row("d", "d@example.com", null, null));
		String scratch = "~preview-" + UUID.randomUUID();
		snapshot(db).loadScratch(scratch, source, NO_EXTRA_CHECK);
		String previewed = snapshot(db).fingerprint(scratch);
		snapshot(db).deleteScratch(scratch);

		assertThat(snapshot(db).take(incident(db), source, NO_EXTRA_CHECK).fingerprint()).isEqualTo(previewed);
	}

	private static String fingerprint(MigratedDatabase db, List<AudienceRow> rows) {
		return snapshot(db).take(incident(db), source(rows), NO_EXTRA_CHECK).fingerprint();
	}

	private static AudienceSnapshot snapshot(MigratedDatabase db) {
		return new AudienceSnapshot(db.jdbc(), db.dialect(), 100, CLOCK);
	}

	private static String incident(MigratedDatabase db) {
		String id = "inc-" + UUID.randomUUID();
		Timestamp at = Timestamp.from(NOW);
		db.jdbc()
			.update("insert into mg_incident (id, title, spec_hash, base_dir, spec_text, created_at, updated_at)"
					+ " values (?, 'Test', 'hash', '.', 'id: test', ?, ?)", id, at, at);
		return id;
	}

	private static List<org.assertj.core.groups.Tuple> rejects(MigratedDatabase db, String incident) {
		return db.jdbc()
			.query("select row_no, account_id, reason from mg_audience_reject where incident_id = ? order by row_no",
					(rs, n) -> tuple(rs.getLong(1), rs.getString(2), rs.getString(3)), incident);
	}

	private static AudienceRow row(String accountId, String email) {
		return new AudienceRow(accountId, email, "Name " + accountId, "basic", "EUR", new BigDecimal("9.99"), "en",
				Map.of("region", "north"));
	}

	private static AudienceRow row(String accountId, String email, String currency, String monthlyFee) {
		return new AudienceRow(accountId, email, "Name " + accountId, "basic", currency,
				monthlyFee == null ? null : new BigDecimal(monthlyFee), "en", Map.of("region", "north"));
	}

	private static AudienceSource source(AudienceRow... rows) {
		return source(Arrays.asList(rows));
	}

	/** {@link #source}, saying it reads in account order whether or not the rows are. */
	private static AudienceSource inAccountOrder(AudienceRow... rows) {
		AudienceSource source = source(rows);
		return new AudienceSource() {

			@Override
			public void read(RowConsumer consumer) {
				source.read(consumer);
			}

			@Override
			public Optional<AudienceRow> first() {
				return source.first();
			}

			@Override
			public boolean readsInAccountOrder() {
				return true;
			}

		};
	}

	/** A plain in-memory source: numbers rows from 1 in list order, as every real source does. */
	private static AudienceSource source(List<AudienceRow> rows) {
		List<AudienceRow> copy = List.copyOf(rows);
		return new AudienceSource() {

			@Override
			public void read(RowConsumer consumer) {
				for (int i = 0; i < copy.size(); i++) {
					consumer.accept(i + 1, SourceRow.of(copy.get(i)));
				}
			}

			@Override
			public Optional<AudienceRow> first() {
				return copy.stream().findFirst();
			}

		};
	}

}
