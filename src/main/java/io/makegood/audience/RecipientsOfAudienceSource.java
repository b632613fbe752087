package io.makegood.audience;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The accounts an earlier incident actually mailed, read from makegood's own snapshot and outbox: a follow-up
 * (the apology, then the make-good) reaches exactly those people and nobody else. An account that shared its
 * address with another was mailed through that account's message, so it counts as mailed when that message
 * has one of the given statuses. The earlier snapshot's data (name, plan, fee, locale, attributes) is reused.
 */
public class RecipientsOfAudienceSource implements AudienceSource {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	private final String earlierIncident;

	private final List<String> statuses;

	private final int pageSize;

	/**
	 * @param makegoodDatabase makegood's own database (never the separate audience source database)
	 * @param statuses outbox statuses that count as mailed, e.g. SENT and IN_DOUBT
	 */
	public RecipientsOfAudienceSource(DataSource makegoodDatabase, String earlierIncident, List<String> statuses,
			int pageSize) {
		if (statuses == null || statuses.isEmpty()) {
			throw new AudienceSourceException("recipients-of needs at least one status");
		}
		this.jdbc = new JdbcTemplate(makegoodDatabase);
		this.earlierIncident = earlierIncident;
		this.statuses = List.copyOf(statuses);
		this.pageSize = pageSize;
	}

	@Override
	public void read(RowConsumer consumer) {
		checkIncidentExists();
		String last = "";
		long rowNo = 0;
		while (true) {
			List<AudienceRow> page = page(last, pageSize);
			for (AudienceRow row : page) {
				consumer.accept(++rowNo, SourceRow.of(row));
			}
			if (page.size() < pageSize) {
				return;
			}
			last = page.get(page.size() - 1).accountId();
		}
	}

	@Override
	public Optional<AudienceRow> first() {
		checkIncidentExists();
		return page("", 1).stream().findFirst();
	}

	private void checkIncidentExists() {
		Long frozen = jdbc.queryForObject(
				"select count(*) from mg_incident where id = ? and snapshot_at is not null", Long.class,
				earlierIncident);
		if (frozen == null || frozen == 0) {
			throw new AudienceSourceException("recipients-of: incident " + earlierIncident
					+ " is unknown or has not frozen an audience yet");
		}
	}

	private List<AudienceRow> page(String afterAccountId, int size) {
		String placeholders = String.join(", ", statuses.stream().map(s -> "?").toList());
		List<Object> args = new ArrayList<>();
		args.add(earlierIncident);
		args.addAll(statuses);
		args.add(afterAccountId);
		return jdbc.query("""
				select a.account_id, a.email, a.name, a.plan, a.currency, a.monthly_fee, a.locale, a.attributes
				from mg_audience a
				join mg_outbox o on o.incident_id = a.incident_id and o.account_id = a.primary_account_id
				where a.incident_id = ? and o.status in (%s) and a.account_id > ?
				order by a.account_id fetch first %d rows only""".formatted(placeholders, size),
				(rs, n) -> {
					String currency = rs.getString("currency");
					return new AudienceRow(rs.getString("account_id"), rs.getString("email"), rs.getString("name"),
							rs.getString("plan"), currency == null ? null : currency.trim(),
							rs.getBigDecimal("monthly_fee"), rs.getString("locale"), attributes(rs.getString("attributes")));
				}, args.toArray());
	}

	private static Map<String, String> attributes(String json) {
		return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, ATTRIBUTES);
	}

}
