package io.makegood.delivery;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

/**
 * Global rate buckets kept in PostgreSQL ({@code mg_rate_bucket}), so several processes sending one incident
 * share one limit. Each permit is a short SELECT ... FOR UPDATE; that only matters when a rate is set, and a
 * rate is exactly when a few thousand round trips per second are affordable.
 */
public final class SharedRateBuckets {

	private SharedRateBuckets() {
	}

	public static SendRate.BucketSource forIncident(DataSource dataSource, String incidentId) {
		ProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("mg_rate_bucket")
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.build();
		return configuration -> {
			Bucket bucket = buckets.builder().build(incidentId, () -> configuration);
			return bucket;
		};
	}

}
