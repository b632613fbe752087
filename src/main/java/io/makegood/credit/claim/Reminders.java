package io.makegood.credit.claim;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.makegood.outbox.OutboxRepository;
import io.makegood.outbox.OutboxRepository.NewMessage;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Queues one reminder per recipient of an incident whose claim-link credit is still unclaimed and expires soon.
 * <p>
 * A reminder campaign is an ordinary outbox campaign whose id is {@code <incident>:reminder}, keyed like every
 * message by (campaign, account): queuing is an insert that skips existing keys, so a recipient is reminded at
 * most once however often this runs, and the reminder is sent, throttled, retried and reported like any other
 * message. It goes to the account that received the first message (the primary account of a shared address)
 * and only when that first message was SENT: whoever never got the link is not reminded of it. Someone who
 * claimed, whose credit expired or was revoked, or who was reminded already is never selected; a queued
 * reminder whose credit stops being claimable before it is sent is withdrawn, when delivery starts
 * ({@link #withdrawStale}) and again when it is rendered.
 */
public class Reminders {

	public static final String SUFFIX = ":reminder";

	/** Why a queued reminder is not sent: its recipient has no claimable credit left. */
	public static final String NOTHING_LEFT_TO_CLAIM = "nothing left to claim";

	/** @param queued reminders newly queued for the incident's campaign */
	public record Queued(String incidentId, String campaignId, int queued) {
	}

	private static final String DUE = """
			select distinct a.incident_id, p.account_id, p.seq, p.email, p.covers,
			  case when p.suppressed is not null or s.email_key is not null then 1 else 0 end as suppressed
			from mg_credit c
			join mg_audience a on a.incident_id = c.incident_id and a.account_id = c.account_id
			join mg_audience p on p.incident_id = a.incident_id and p.account_id = a.primary_account_id
			join mg_outbox o on o.incident_id = p.incident_id and o.account_id = p.account_id and o.status = 'SENT'
			left join mg_suppression s on s.email_key = p.email_key
			where c.status = 'CLAIMABLE' and c.expires_at > ? and c.expires_at <= ?
			  and not exists (select 1 from mg_outbox r
			    where r.incident_id = a.incident_id || ':reminder' and r.account_id = p.account_id)
			order by a.incident_id, p.seq""";

	private final JdbcTemplate jdbc;

	private final OutboxRepository outbox;

	private final Function<String, BiFunction<String, String, String>> messageIds;

	/** @param messageIds incident id to its (campaign, account) → Message-ID function */
	public Reminders(JdbcTemplate jdbc, OutboxRepository outbox,
			Function<String, BiFunction<String, String, String>> messageIds) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.messageIds = messageIds;
	}

	public static String campaignOf(String incidentId) {
		return incidentId + SUFFIX;
	}

	public static boolean isReminderCampaign(String campaignId) {
		return campaignId.endsWith(SUFFIX);
	}

	public static String incidentOf(String campaignId) {
		return campaignId.substring(0, campaignId.length() - SUFFIX.length());
	}

	/** Queues the reminders due at {@code now}: credits expiring within {@code within}. */
	public List<Queued> enqueueDue(Instant now, Duration within) {
		Map<String, List<NewMessage>> byIncident = new LinkedHashMap<>();
		Map<String, BiFunction<String, String, String>> ids = new LinkedHashMap<>();
		jdbc.query(DUE, rs -> {
			String incidentId = rs.getString("incident_id");
			String accountId = rs.getString("account_id");
			String campaign = campaignOf(incidentId);
			String messageId = ids.computeIfAbsent(incidentId, messageIds).apply(campaign, accountId);
			byIncident.computeIfAbsent(incidentId, k -> new ArrayList<>())
				.add(new NewMessage(accountId, rs.getLong("seq"), rs.getString("email").trim(), rs.getInt("covers"),
						messageId, rs.getInt("suppressed") == 1));
		}, Timestamp.from(now), Timestamp.from(now.plus(within)));
		List<Queued> queued = new ArrayList<>();
		byIncident.forEach((incidentId, messages) -> queued
			.add(new Queued(incidentId, campaignOf(incidentId), outbox.enqueue(campaignOf(incidentId), messages, now))));
		return queued;
	}

	/**
	 * Reminders still waiting to be sent whose recipient has nothing left to claim (claimed, expired or revoked
	 * since they were queued) are withdrawn: marked SUPPRESSED with the reason, never sent. Run when delivery
	 * starts; a recipient who claims while the campaign is under way is caught when the reminder is rendered
	 * ({@code ReminderPreparer}).
	 */
	public int withdrawStale(String campaignId, Instant now) {
		Timestamp at = Timestamp.from(now);
		return jdbc.update("""
				update mg_outbox set status = 'SUPPRESSED', last_error = ?, updated_at = ?
				where incident_id = ? and status in ('PENDING', 'RETRY')
				  and not exists (select 1 from mg_audience a
				    join mg_credit c on c.incident_id = a.incident_id and c.account_id = a.account_id
				    where a.incident_id = ? and a.primary_account_id = mg_outbox.account_id
				      and c.status = 'CLAIMABLE' and (c.expires_at is null or c.expires_at > ?))""",
				NOTHING_LEFT_TO_CLAIM, at, campaignId, incidentOf(campaignId), at);
	}

	/** Campaigns with reminders still to send (PENDING or RETRY). */
	public List<String> unfinishedCampaigns() {
		return jdbc.queryForList("""
				select distinct incident_id from mg_outbox
				where incident_id like '%:reminder' and status in ('PENDING', 'RETRY', 'SENDING')
				order by incident_id""", String.class);
	}

}
