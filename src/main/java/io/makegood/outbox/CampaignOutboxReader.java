package io.makegood.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link OutboxReader} for a follow-up campaign (such as {@code <incident>:reminder}): its messages are queued
 * under the campaign's own id, so they are deduplicated, claimed and reported apart from the first message,
 * while the account and its credit are read from the incident the campaign follows up.
 */
public class CampaignOutboxReader implements ItemReader<OutboxEntry> {

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

	private final String campaignId;

	private final String incidentId;

	private final int pageSize;

	private final Clock clock;

	private final Deque<OutboxEntry> page = new ArrayDeque<>();

	private long lastSeq = Long.MIN_VALUE;

	private boolean exhausted;

	/** @param incidentId the incident whose audience and credits the campaign's messages are about */
	public CampaignOutboxReader(JdbcTemplate jdbc, String campaignId, String incidentId, int pageSize, Clock clock) {
		this.jdbc = jdbc;
		this.campaignId = campaignId;
		this.incidentId = incidentId;
		this.pageSize = pageSize;
		this.clock = clock;
	}

	@Override
	public OutboxEntry read() {
		if (page.isEmpty() && !exhausted) {
			List<OutboxEntry> next = jdbc.query(QUERY + " fetch first " + pageSize + " rows only",
					(rs, n) -> OutboxReader.entry(rs), incidentId, incidentId, campaignId,
					Timestamp.from(clock.instant()), lastSeq);
			exhausted = next.size() < pageSize;
			page.addAll(next);
			if (!next.isEmpty()) {
				lastSeq = next.get(next.size() - 1).account().seq();
			}
		}
		return page.poll();
	}

}
