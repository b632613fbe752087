package io.makegood.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Currency;
import java.util.Deque;
import java.util.List;

import io.makegood.audience.SnapshotReaders;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.Money;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads messages that are due, in snapshot order, a page at a time (keyset on {@code seq}, never OFFSET). It
 * keeps no restart state on purpose: a restarted run starts again from the outbox itself, where sent rows are
 * no longer PENDING, so nothing already sent can come back.
 */
public class OutboxReader implements ItemReader<OutboxEntry> {

	private static final String QUERY = """
			select a.seq, a.account_id, a.email, a.name, a.plan, a.currency, a.monthly_fee, a.locale, a.attributes,
			  a.primary_account_id, a.covers, a.suppressed,
			  o.recipient, o.message_id, o.attempts,
			  c.kind, c.amount, c.currency as credit_currency, c.item, c.status as credit_status, c.expires_at
			from mg_outbox o
			join mg_audience a on a.incident_id = ? and a.account_id = o.account_id
			join mg_credit c on c.incident_id = ? and c.account_id = o.account_id
			where o.incident_id = ? and o.status in ('PENDING', 'RETRY')
			  and (o.next_attempt_at is null or o.next_attempt_at <= ?) and o.seq > ?
			order by o.seq""";

	private final JdbcTemplate jdbc;

	private final String outboxKey;

	private final String incidentId;

	private final int pageSize;

	private final Clock clock;

	private final Deque<OutboxEntry> page = new ArrayDeque<>();

	private long lastSeq = Long.MIN_VALUE;

	private boolean exhausted;

	public OutboxReader(JdbcTemplate jdbc, String incidentId, int pageSize, Clock clock) {
		this(jdbc, incidentId, incidentId, pageSize, clock);
	}

	/**
	 * For a follow-up campaign (such as {@code <incident>:reminder}): its messages are queued under the
	 * campaign's own key, so they are deduplicated, claimed and reported apart from the first message, while the
	 * account and its credit are read from the incident the campaign follows up.
	 */
	public OutboxReader(JdbcTemplate jdbc, String outboxKey, String incidentId, int pageSize, Clock clock) {
		this.jdbc = jdbc;
		this.outboxKey = outboxKey;
		this.incidentId = incidentId;
		this.pageSize = pageSize;
		this.clock = clock;
	}

	@Override
	public OutboxEntry read() {
		if (page.isEmpty() && !exhausted) {
			List<OutboxEntry> next = jdbc.query(QUERY + " fetch first " + pageSize + " rows only",
					(rs, n) -> entry(rs), incidentId, incidentId, outboxKey, Timestamp.from(clock.instant()), lastSeq);
			exhausted = next.size() < pageSize;
			page.addAll(next);
			if (!next.isEmpty()) {
				lastSeq = next.get(next.size() - 1).account().seq();
			}
		}
		return page.poll();
	}

	static OutboxEntry entry(ResultSet rs) throws SQLException {
		return new OutboxEntry(SnapshotReaders.account(rs), rs.getString("recipient"), rs.getString("message_id"),
				rs.getInt("attempts"), credit(rs));
	}

	static Credit credit(ResultSet rs) throws SQLException {
		String currency = rs.getString("credit_currency");
		Money amount = currency == null ? null
				: new Money(rs.getBigDecimal("amount").setScale(
						Math.max(Currency.getInstance(currency.trim()).getDefaultFractionDigits(), 0)),
						Currency.getInstance(currency.trim()));
		Timestamp expires = rs.getTimestamp("expires_at");
		return new Credit(CompensationKind.valueOf(rs.getString("kind")), amount, rs.getString("item"),
				CreditStatus.valueOf(rs.getString("credit_status")), expires == null ? null : expires.toInstant());
	}

}
