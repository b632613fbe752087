package io.makegood.audience;

import java.util.Locale;
import java.util.Objects;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.makegood.incident.IncidentSpec;

/**
 * Opens the audience source a spec names. SQL audiences are read from the "source" database, which defaults to
 * makegood's own and can be a separate database, opened read-only so an operator's query cannot change it.
 */
public class AudienceSources implements AutoCloseable {

	private final DataSource source;

	private final DataSource makegoodDatabase;

	private final HikariDataSource ownPool;

	private final int pageSize;

	public AudienceSources(DataSource mainDataSource, String sourceUrl, String username, String password,
			int pageSize) {
		this.pageSize = pageSize;
		this.makegoodDatabase = mainDataSource;
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
		if (isRecipientsOf(spec)) {
			// an earlier incident's recipients live in makegood's own database, never in the source database
			return forSpec(spec, makegoodDatabase, pageSize);
		}
		return forSpec(spec, source, pageSize);
	}

	/**
	 * @param sourceDataSource where an {@code sql} audience query runs (ideally read-only); unused for {@code csv}
	 * @param pageSize rows per keyset page for an {@code sql} source
	 */
	public static AudienceSource forSpec(IncidentSpec spec, DataSource sourceDataSource, int pageSize) {
		IncidentSpec.Audience audience = Objects.requireNonNull(spec.audience(), "spec.audience");
		String kind = audience.source() == null ? "" : audience.source().strip().toLowerCase(Locale.ROOT);
		return switch (kind) {
			case "csv" -> new CsvAudienceSource(audience.file());
			case "sql" -> {
				if (sourceDataSource == null) {
					throw new AudienceSourceException("Incident " + spec.id()
							+ " reads its audience with SQL, but no audience source database is configured");
				}
				yield new SqlAudienceSource(sourceDataSource, audience.query(),
						SqlAudienceSource.windowParameters(spec.window()), pageSize);
			}
			case "recipients-of" -> new RecipientsOfAudienceSource(sourceDataSource, audience.incident(),
					audience.statuses(), pageSize);
			default -> throw new AudienceSourceException("Incident " + spec.id() + " has audience source '"
					+ audience.source() + "'; expected 'sql', 'csv' or 'recipients-of'");
		};
	}

	private static boolean isRecipientsOf(IncidentSpec spec) {
		return spec.audience() != null && "recipients-of".equals(spec.audience().source());
	}

	@Override
	public void close() {
		if (ownPool != null) {
			ownPool.close();
		}
	}

}
