package io.makegood.audience;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Readers over the frozen snapshot. Later steps never read the live audience source. */
public final class SnapshotReaders {

	static final String COLUMNS = "seq, account_id, email, name, plan, currency, monthly_fee, locale, attributes,"
			+ " primary_account_id, covers, suppressed";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {
	};

	private SnapshotReaders() {
	}

	/**
	 * The accounts at positions {@code firstSeq..lastSeq} (see {@link SnapshotPartitioner}), keyset-paged by
	 * position, restartable from the last committed chunk.
	 */
	public static JdbcPagingItemReader<SnapshotAccount> accounts(DataSource dataSource, String incidentId,
			long firstSeq, long lastSeq, int pageSize) throws Exception {
		return new JdbcPagingItemReaderBuilder<SnapshotAccount>().name("snapshotAccounts")
			.dataSource(dataSource)
			.selectClause(COLUMNS)
			.fromClause("mg_audience")
			.whereClause("incident_id = :incident and seq between :firstSeq and :lastSeq")
			.parameterValues(Map.of("incident", incidentId, "firstSeq", firstSeq, "lastSeq", lastSeq))
			.sortKeys(Map.of("seq", Order.ASCENDING))
			.pageSize(pageSize)
			.rowMapper((rs, n) -> account(rs))
			.build();
	}

	public static SnapshotAccount account(ResultSet rs) throws SQLException {
		String currency = rs.getString("currency");
		AudienceRow row = new AudienceRow(rs.getString("account_id"), rs.getString("email"), rs.getString("name"),
				rs.getString("plan"), currency == null ? null : currency.trim(), rs.getBigDecimal("monthly_fee"),
				rs.getString("locale"), attributes(rs.getString("attributes")));
		return new SnapshotAccount(rs.getLong("seq"), row, rs.getString("primary_account_id"), rs.getInt("covers"),
				rs.getString("suppressed"));
	}

	private static Map<String, String> attributes(String json) {
		// most audiences have no extra columns; "{}" is what the snapshot stores for them
		return json == null || json.isEmpty() || json.equals("{}") ? Map.of() : JSON.readValue(json, ATTRIBUTES);
	}

}
