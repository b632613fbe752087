package io.makegood.audience;

import java.util.Locale;
import java.util.Objects;

import javax.sql.DataSource;

import io.makegood.incident.IncidentSpec;

/** Picks the source an incident spec asks for. */
public final class AudienceSources {

	private AudienceSources() {
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
			default -> throw new AudienceSourceException("Incident " + spec.id() + " has audience source '"
					+ audience.source() + "'; expected 'sql' or 'csv'");
		};
	}

}
