package io.makegood.delivery;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Rate buckets kept in PostgreSQL ({@code mg_rate_bucket}): the incident's global rate and its domains' rates,
 * so several processes sending one incident share each limit. Every permit is a short SELECT ... FOR UPDATE
 * transaction. Those transactions commit without waiting for the WAL flush: a bucket state lost to a database
 * crash only forgets some spent permits, while a flush per permit would cap the rate of every process at the
 * disk's flush rate.
 */
public final class SharedRateBuckets {

	/** mg_rate_bucket.id is varchar(220); an incident id has at most 200 characters. */
	static final int KEY_LENGTH = 220;

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
		return (scope, configuration) -> {
			Bucket bucket = buckets.builder().build(key(incidentId, scope), () -> configuration);
			// a bucket an earlier run left behind keeps the rate it was made with; this run's spec and settings,
			// which may have been edited since, decide
			bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.PROPORTIONALLY);
			return bucket;
		};
	}

	/** The bucket's row: the incident's id, and the domain for a domain's rate (hashed if the pair is too long). */
	static String key(String incidentId, String scope) {
		if (scope.isEmpty()) {
			return incidentId;
		}
		String key = incidentId + "|" + scope;
		// two long domains sharing a hash would only share one rate: slower, never faster
		return key.length() <= KEY_LENGTH ? key : incidentId + "|#" + Integer.toHexString(scope.hashCode());
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
