package io.makegood.audience;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.makegood.incident.IncidentSpec;

/**
 * Opens the audience source a spec names. SQL audiences are read from the "source" database, which defaults to
 * makegood's own and can be a separate database, opened read-only so an operator's query cannot change it.
 */
public class AudienceSources implements AutoCloseable {

	private final DataSource source;

	private final HikariDataSource ownPool;

	private final int pageSize;

	public AudienceSources(DataSource mainDataSource, String sourceUrl, String username, String password,
			int pageSize) {
		this.pageSize = pageSize;
		if (sourceUrl == null || sourceUrl.isBlank()) {
			this.ownPool = null;
			this.source = mainDataSource;
		}
		else {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl(sourceUrl);
			pool.setUsername(username);
			pool.setPassword(password);
			pool.setReadOnly(true);
			pool.setMaximumPoolSize(2);
			pool.setPoolName("makegood-source");
			this.ownPool = pool;
			this.source = pool;
		}
	}

	public AudienceSource open(IncidentSpec spec) {
		IncidentSpec.Audience audience = spec.audience();
		return switch (audience.source()) {
			case "csv" -> new CsvAudienceSource(audience.file());
			case "sql" -> new SqlAudienceSource(source, audience.query(),
					SqlAudienceSource.windowParameters(spec.window()), pageSize);
			default -> throw new IllegalArgumentException("Unsupported audience source: " + audience.source());
		};
	}

	@Override
	public void close() {
		if (ownPool != null) {
			ownPool.close();
		}
	}

}
