package io.makegood.audience;

import java.nio.file.Path;
import java.time.Instant;

import io.makegood.incident.IncidentSpec;
import org.hsqldb.jdbc.JDBCDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AudienceSourcesTest {

	@Test
	void csvSpecReadsTheFile() {
		AudienceSource source = AudienceSources.forSpec(spec("csv", null, Path.of("affected.csv")), null, 1000);
		assertThat(source).isInstanceOf(CsvAudienceSource.class);
	}

	@Test
	void sqlSpecNeedsASourceDatabase() {
		IncidentSpec spec = spec("sql", "select 1 as account_id", null);
		assertThatExceptionOfType(AudienceSourceException.class)
			.isThrownBy(() -> AudienceSources.forSpec(spec, null, 1000))
			.withMessageContaining("inc-1");
		JDBCDataSource db = new JDBCDataSource();
		db.setUrl("jdbc:hsqldb:mem:sources");
		assertThat(AudienceSources.forSpec(spec, db, 1000)).isInstanceOf(SqlAudienceSource.class);
	}

	@Test
	void sqlSpecBindsTheWindow() {
		JDBCDataSource db = new JDBCDataSource();
		db.setUrl("jdbc:hsqldb:mem:sources");
		IncidentSpec spec = spec("SQL", "select 1 as account_id from (values(0)) "
						+ "where cast(:windowStart as timestamp) < cast(:windowEnd as timestamp)",
				null);
		assertThat(AudienceSources.forSpec(spec, db, 10).first()).map(AudienceRow::accountId).contains("1");
	}

	@Test
	void unknownSourceFails() {
		assertThatExceptionOfType(AudienceSourceException.class)
			.isThrownBy(() -> AudienceSources.forSpec(spec("ldap", null, null), null, 1000))
			.withMessageContaining("'ldap'");
	}

	private static IncidentSpec spec(String source, String query, Path file) {
		return new IncidentSpec("inc-1", "Outage", new IncidentSpec.Window(Instant.parse("2025-03-01T18:00:00Z"),
				Instant.parse("2025-03-01T22:00:00Z")), new IncidentSpec.Audience(source, query, file),
				IncidentSpec.Compensation.none(), null, null, "", Path.of("."));
	}

}
