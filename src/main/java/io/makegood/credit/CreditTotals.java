package io.makegood.credit;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How many credits an incident has in each status, and what they are worth per currency.
 *
 * @param totalByCurrency amounts of the credits still standing ({@link #STANDING}: applied, claimable, claimed)
 * per ISO-4217 code, at the currency's scale; expired and revoked credits are worth nothing
 * @param countByStatus number of credits per status, every kind included; statuses without credits are absent
 */
public record CreditTotals(Map<String, BigDecimal> totalByCurrency, Map<CreditStatus, Long> countByStatus) {

	public static final Set<CreditStatus> STANDING = Collections
		.unmodifiableSet(EnumSet.of(CreditStatus.APPLIED, CreditStatus.CLAIMABLE, CreditStatus.CLAIMED));

	private static final String SELECT = """
			select status, currency, count(*) as credits, sum(amount) as total
			from mg_credit
			where incident_id = ?
			group by status, currency""";

	public CreditTotals {
		totalByCurrency = Collections.unmodifiableMap(new TreeMap<>(totalByCurrency));
		countByStatus = countByStatus.isEmpty() ? Map.of()
				: Collections.unmodifiableMap(new EnumMap<>(countByStatus));
	}

	public static CreditTotals of(DataSource dataSource, String incidentId) {
		Map<String, BigDecimal> totals = new TreeMap<>();
		Map<CreditStatus, Long> counts = new EnumMap<>(CreditStatus.class);
		JdbcClient.create(new JdbcTemplate(dataSource)).sql(SELECT).param(incidentId).query((rs) -> {
			CreditStatus status = CreditStatus.valueOf(rs.getString("status"));
			counts.merge(status, rs.getLong("credits"), Long::sum);
			String currency = rs.getString("currency");
			BigDecimal total = rs.getBigDecimal("total");
			if (STANDING.contains(status) && currency != null && total != null) {
				totals.merge(currency, total, BigDecimal::add);
			}
		});
		totals.replaceAll((currency, total) -> Currencies.atMinorScale(total, currency));
		return new CreditTotals(totals, counts);
	}

	public long count(CreditStatus status) {
		return countByStatus.getOrDefault(status, 0L);
	}

	public long count() {
		return countByStatus.values().stream().mapToLong(Long::longValue).sum();
	}

}
