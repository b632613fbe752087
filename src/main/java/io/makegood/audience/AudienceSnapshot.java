package io.makegood.audience;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import io.makegood.db.BulkInsert;
import io.makegood.db.SqlDialect;
import io.makegood.db.SqlDialect.Column;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Freezes an incident's audience into {@code mg_audience}, so it cannot shift while credits are granted and
 * mail goes out. Rows that must not be mailed are written to {@code mg_audience_reject} with a reason, never
 * dropped silently. A snapshot interrupted half-way is discarded and taken again: nothing downstream reads
 * it before it is marked complete.
 */
public class AudienceSnapshot {

	public record Result(boolean alreadyFrozen, long accepted, Map<String, Long> rejectsByReason, long suppressed,
			long sharedAddressAccounts, String fingerprint) {
	}

	private static final List<Column> AUDIENCE_COLUMNS = List.of(new Column("incident_id", "varchar(200)"),
			new Column("seq", "bigint"), new Column("account_id", "varchar(100)"),
			new Column("email", "varchar(320)"), new Column("email_key", "varchar(320)"),
			new Column("name", "varchar(200)"), new Column("plan", "varchar(100)"),
			new Column("currency", "char(3)"), new Column("monthly_fee", "numeric(19,6)"),
			new Column("locale", "varchar(35)"), new Column("attributes", "varchar(1000000)"),
			new Column("primary_account_id", "varchar(100)"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AudienceRules.Reject DUPLICATE = new AudienceRules.Reject("duplicate-account",
			"account already in this audience");

	private static final int FINGERPRINT_FETCH_SIZE = 1000;

	private final JdbcTemplate jdbc;

	private final BulkInsert<Accepted> insertAudience;

	private final SqlDialect dialect;

	private final int batchSize;

	private final Clock clock;

	private final AudienceRules rules = new AudienceRules();

	public AudienceSnapshot(JdbcTemplate jdbc, SqlDialect dialect, int batchSize, Clock clock) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.insertAudience = new BulkInsert<>(dialect, "mg_audience", AUDIENCE_COLUMNS,
				List.of("incident_id", "account_id"), batchSize, AudienceSnapshot::bind);
		this.batchSize = batchSize;
		this.clock = clock;
	}

	public boolean isFrozen(String incidentId) {
		return Boolean.TRUE.equals(jdbc.queryForObject(
				"select count(*) from mg_incident where id = ? and snapshot_at is not null", Long.class,
				incidentId) > 0);
	}

	/** Ranges of a frozen snapshot's positions, for granting its accounts on several workers at once. */
	public SnapshotPartitioner partitioner(String incidentId) {
		return jdbc.query("select min(seq), max(seq) from mg_audience where incident_id = ?", rs -> {
			rs.next();
			long first = rs.getLong(1);
			// an empty snapshot gives nulls, read as 0: one range that holds nothing
			return rs.wasNull() ? new SnapshotPartitioner(1, 0) : new SnapshotPartitioner(first, rs.getLong(2));
		}, incidentId);
	}

	/**
	 * @param extraCheck rules that depend on the compensation (e.g. a percent credit needs a fee)
	 */
	public Result take(String incidentId, AudienceSource source, Function<AudienceRow, Optional<AudienceRules.Reject>> extraCheck) {
		if (isFrozen(incidentId)) {
			return summarize(incidentId, true);
		}
		load(incidentId, source, extraCheck);
		freeze(incidentId);
		return summarize(incidentId, false);
	}

	/**
	 * Applies every snapshot rule under a scratch id that is not an incident (a preview, which must match what a
	 * run would freeze exactly) without freezing anything. The caller removes it with {@link #deleteScratch}.
	 */
	public void loadScratch(String scratchId, AudienceSource source,
			Function<AudienceRow, Optional<AudienceRules.Reject>> extraCheck) {
		load(scratchId, source, extraCheck);
	}

	public void deleteScratch(String scratchId) {
		discardPartial(scratchId);
	}

	private void load(String incidentId, AudienceSource source,
			Function<AudienceRow, Optional<AudienceRules.Reject>> extraCheck) {
		discardPartial(incidentId);
		boolean inAccountOrder = source.readsInAccountOrder();
		Checker checker = new Checker(incidentId, extraCheck, inAccountOrder);
		// reading and checking rows on their own thread overlaps the database's work on the inserts, which stay in
		// this step's transaction
		HandOff.<Batch>run("mg-audience-reader", 2, handOver -> {
			source.read((rowNo, row) -> checker.accept(rowNo, row, handOver));
			checker.handOverRest(handOver);
		}, batch -> insert(incidentId, batch, inAccountOrder));
		// the grouping below joins the table with itself; without fresh statistics PostgreSQL plans it as if the
		// table were empty and compares every row with every other
		dialect.analyze(jdbc, "mg_audience");
		applySuppressions(incidentId);
		groupSharedAddresses(incidentId);
	}

	/**
	 * Throws a frozen snapshot away, so the next run takes a fresh one. Only for an audience nothing was granted
	 * to yet, such as one the blast-radius guard refused.
	 */
	public void discard(String incidentId) {
		discardPartial(incidentId);
		jdbc.update("update mg_incident set snapshot_at = null, audience_size = null, audience_fingerprint = null"
				+ " where id = ?", incidentId);
	}

	private void discardPartial(String incidentId) {
		jdbc.update("delete from mg_audience where incident_id = ?", incidentId);
		jdbc.update("delete from mg_audience_reject where incident_id = ?", incidentId);
	}

	/** Applies the rules to each row in source order and numbers the accepted ones; touches no database. */
	private final class Checker {

		private final String incidentId;

		private final Function<AudienceRow, Optional<AudienceRules.Reject>> extraCheck;

		private List<Accepted> accepted = new ArrayList<>();

		private List<Object[]> rejects = new ArrayList<>();

		private long seq;

		/** Set when the source reads in account order: the account last accepted, to tell its repeats by. */
		private final boolean inAccountOrder;

		private String lastAccepted;

		Checker(String incidentId, Function<AudienceRow, Optional<AudienceRules.Reject>> extraCheck,
				boolean inAccountOrder) {
			this.incidentId = incidentId;
			this.extraCheck = extraCheck;
			this.inAccountOrder = inAccountOrder;
		}

		void accept(long rowNo, SourceRow sourceRow, Consumer<Batch> handOver) {
			AudienceRow row = sourceRow.row();
			Optional<AudienceRules.Reject> reject = rules.check(sourceRow);
			if (reject.isEmpty()) {
				reject = extraCheck.apply(row);
			}
			if (reject.isEmpty() && inAccountOrder && row.accountId().equals(lastAccepted)) {
				reject = Optional.of(DUPLICATE);
			}
			if (reject.isPresent()) {
				rejects.add(rejectRow(incidentId, rowNo, row.accountId(), reject.get()));
			}
			else {
				accepted.add(new Accepted(incidentId, rowNo, ++seq, row, attributes(row)));
				lastAccepted = row.accountId();
			}
			if (accepted.size() >= batchSize || rejects.size() >= batchSize) {
				handOverRest(handOver);
			}
		}

		void handOverRest(Consumer<Batch> handOver) {
			if (!accepted.isEmpty() || !rejects.isEmpty()) {
				handOver.accept(new Batch(accepted, rejects));
				accepted = new ArrayList<>();
				rejects = new ArrayList<>();
			}
		}

	}

	/** Checked rows on their way to the tables; {@code rejects} is the batch's own, to add duplicates to. */
	private record Batch(List<Accepted> accepted, List<Object[]> rejects) {
	}

	/**
	 * @param accountsAreNew whether the checker already rejected every repeated account (the table was emptied of
	 * this incident first, so none of the accepted rows should be there yet)
	 */
	private void insert(String incidentId, Batch batch, boolean accountsAreNew) {
		List<Accepted> accepted = batch.accepted();
		int inserted = accountsAreNew ? insertAudience.insertNew(jdbc, accepted)
				: insertAudience.insert(jdbc, accepted);
		if (inserted < accepted.size()) {
			rejectDuplicates(incidentId, batch);
		}
		if (!batch.rejects().isEmpty()) {
			jdbc.batchUpdate("insert into mg_audience_reject (incident_id, row_no, account_id, reason, detail)"
					+ " values (?, ?, ?, ?, ?)", batch.rejects());
		}
	}

	/**
	 * The insert skipped accounts already in the audience; they are the accepted rows whose positions did not make
	 * it into the table (this load emptied it first, so every stored position is one of its own).
	 */
	private void rejectDuplicates(String incidentId, Batch batch) {
		List<Accepted> accepted = batch.accepted();
		Set<Long> stored = new HashSet<>(jdbc.queryForList(
				"select seq from mg_audience where incident_id = ? and seq between ? and ?", Long.class, incidentId,
				accepted.get(0).seq(), accepted.get(accepted.size() - 1).seq()));
		for (Accepted row : accepted) {
			if (!stored.contains(row.seq())) {
				batch.rejects().add(rejectRow(incidentId, row.rowNo(), row.row().accountId(), DUPLICATE));
			}
		}
	}

	private static Object[] rejectRow(String incidentId, long rowNo, String accountId, AudienceRules.Reject reject) {
		return new Object[] { incidentId, rowNo, truncate(accountId, 100), reject.reason(),
				truncate(reject.detail(), 500) };
	}

	/** An account that passed the rules, at its position in the snapshot. */
	private record Accepted(String incidentId, long rowNo, long seq, AudienceRow row, String attributes) {
	}

	private static void bind(BulkInsert.Values values, Accepted accepted) throws SQLException {
		AudienceRow row = accepted.row();
		values.string(accepted.incidentId())
			.number(accepted.seq())
			.string(row.accountId())
			.string(row.email().trim())
			.string(EmailKey.of(row.email()))
			.string(row.name())
			.string(row.plan())
			.string(row.currency())
			.decimal(row.monthlyFee())
			.string(row.locale())
			.string(accepted.attributes())
			.string(row.accountId());
	}

	private static String attributes(AudienceRow row) {
		// what Jackson writes for an empty map, without asking it once per account
		return row.attributes().isEmpty() ? "{}" : JSON.writeValueAsString(row.attributes());
	}

	private void applySuppressions(String incidentId) {
		jdbc.update("""
				update mg_audience set suppressed =
				  (select s.reason from mg_suppression s where s.email_key = mg_audience.email_key)
				where incident_id = ? and email_key in (select email_key from mg_suppression)""", incidentId);
	}

	/**
	 * Accounts sharing one address get one message, sent to the account with the lowest id and announcing
	 * every credit of the group: nobody receives near-identical mail twice, and no credit goes unannounced.
	 */
	private void groupSharedAddresses(String incidentId) {
		// most audiences share no address at all, and then the updates below would only cost time
		long sharedAddresses = jdbc.queryForObject("""
				select count(*) from (select email_key from mg_audience where incident_id = ?
				  group by email_key having count(*) > 1) s""", Long.class, incidentId);
		if (sharedAddresses == 0) {
			return;
		}
		jdbc.update("""
				update mg_audience a set primary_account_id =
				  (select min(b.account_id) from mg_audience b
				   where b.incident_id = a.incident_id and b.email_key = a.email_key)
				where a.incident_id = ? and exists
				  (select 1 from mg_audience b
				   where b.incident_id = a.incident_id and b.email_key = a.email_key and b.account_id < a.account_id)""",
				incidentId);
		// the primary is its group's lowest account id, so every account of its address points at it
		jdbc.update("""
				update mg_audience a set covers =
				  (select count(*) from mg_audience b
				   where b.incident_id = a.incident_id and b.email_key = a.email_key)
				where a.incident_id = ? and a.primary_account_id = a.account_id and exists
				  (select 1 from mg_audience b
				   where b.incident_id = a.incident_id and b.email_key = a.email_key and b.account_id <> a.account_id)""",
				incidentId);
	}

	private void freeze(String incidentId) {
		String fingerprint = fingerprint(incidentId);
		long size = Long.parseLong(fingerprint.substring(0, fingerprint.indexOf(':')));
		jdbc.update("update mg_incident set snapshot_at = ?, audience_size = ?, audience_fingerprint = ? where id = ?",
				Timestamp.from(clock.instant()), size, fingerprint, incidentId);
	}

	/**
	 * The {@link AudienceFingerprint} of the accounts in {@code mg_audience} under this id. A preview computes it
	 * from its scratch rows and a run from the frozen ones, which the same load wrote, so unchanged source data
	 * gives the same value. The rows are streamed a page at a time: PostgreSQL's driver does so only inside a
	 * transaction, so a caller without one (a preview) gets a read-only one here, and a million accounts never sit
	 * in the heap at once.
	 */
	public String fingerprint(String incidentId) {
		AudienceFingerprint fingerprint = new AudienceFingerprint();
		jdbc.execute((Connection connection) -> {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement("select account_id, email_key, currency,"
					+ " monthly_fee from mg_audience where incident_id = ? order by account_id")) {
				statement.setFetchSize(FINGERPRINT_FETCH_SIZE);
				statement.setString(1, incidentId);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						fingerprint.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4));
					}
				}
			}
			finally {
				if (autoCommit) {
					connection.rollback();
					connection.setAutoCommit(true);
				}
			}
			return null;
		});
		return fingerprint.value();
	}

	/** What the snapshot of an incident holds: accepted accounts and what was set aside, by reason. */
	public record Counts(long accepted, Map<String, Long> rejectsByReason, long suppressed, long sharedAddressAccounts) {
	}

	public Counts counts(String incidentId) {
		Map<String, Long> rejects = new LinkedHashMap<>();
		jdbc.query("select reason, count(*) from mg_audience_reject where incident_id = ? group by reason order by reason",
				rs -> {
					rejects.put(rs.getString(1), rs.getLong(2));
				}, incidentId);
		Map<String, Object> counts = jdbc.queryForMap("""
				select count(*) as accepted,
				  sum(case when suppressed is not null then 1 else 0 end) as suppressed,
				  sum(case when primary_account_id <> account_id then 1 else 0 end) as shared
				from mg_audience where incident_id = ?""", incidentId);
		return new Counts(number(counts.get("accepted")), rejects, number(counts.get("suppressed")),
				number(counts.get("shared")));
	}

	private Result summarize(String incidentId, boolean alreadyFrozen) {
		Counts counts = counts(incidentId);
		String fingerprint = jdbc.queryForObject("select audience_fingerprint from mg_incident where id = ?",
				String.class, incidentId);
		return new Result(alreadyFrozen, counts.accepted(), counts.rejectsByReason(), counts.suppressed(),
				counts.sharedAddressAccounts(), fingerprint);
	}

	private static long number(Object value) {
		return value == null ? 0 : ((Number) value).longValue();
	}

	private static String truncate(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
