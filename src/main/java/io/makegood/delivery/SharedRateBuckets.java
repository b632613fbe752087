package io.makegood.delivery;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Global rate buckets kept in PostgreSQL ({@code mg_rate_bucket}), so several processes sending one incident
 * share one limit. Every permit is a short SELECT ... FOR UPDATE transaction. Those transactions commit without
 * waiting for the WAL flush: a bucket state lost to a database crash only forgets some spent permits, while a
 * flush per permit would cap the rate of every process at the disk's flush rate.
 */
public final class SharedRateBuckets {

	private SharedRateBuckets() {
	}

	public static SendRate.BucketSource forIncident(DataSource dataSource, String incidentId) {
		ProxyManager<String> buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(new AsyncCommits(dataSource))
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

	/** Hands out connections whose transactions use {@code synchronous_commit = off}, for that transaction only. */
	static final class AsyncCommits extends DelegatingDataSource {

		AsyncCommits(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			Connection connection = super.getConnection();
			return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
					new Class<?>[] { Connection.class }, (proxy, method, args) -> {
						try {
							Object result = method.invoke(connection, args);
							if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
								try (Statement statement = connection.createStatement()) {
									statement.execute("set local synchronous_commit to off");
								}
							}
							return result;
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

	}

}
