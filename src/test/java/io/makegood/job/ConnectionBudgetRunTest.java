package io.makegood.job;

import java.nio.file.Path;

import io.makegood.ops.ExitCodes;
import io.makegood.support.CsvIncident;
import io.makegood.support.IncidentState;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A run whose pool cannot serve its sending connections stops before the first lane, and resumes once fixed. */
class ConnectionBudgetRunTest {

	@TempDir
	Path workDir;

	@Test
	void aRunRefusedForItsPoolSizeSendsNothingAndResumesWithALargerPool() {
		TestDatabases.Database database = TestDatabases.postgres();
		CsvIncident incident = CsvIncident.write(workDir.resolve("jobs"), "small-pool", 20);
		IncidentState state = new IncidentState(database, incident.id());

		int refused = Makegood.on(database, workDir)
			.with("--makegood.delivery.connections=8", "--spring.datasource.hikari.maximum-pool-size=10")
			.run("run", incident.spec().toString());

		assertThat(refused).isEqualTo(ExitCodes.FAILED);
		assertThat(state.outboxByStatus()).containsOnlyKeys("PENDING");
		assertThat(database.jdbc()
			.queryForObject("select exit_message from batch_step_execution where step_name = 'deliver'", String.class))
			.contains("makegood.delivery.connections=8 needs spring.datasource.hikari.maximum-pool-size of at least 14");

		int resumed = Makegood.on(database, workDir)
			.with("--makegood.delivery.connections=8", "--spring.datasource.hikari.maximum-pool-size=14")
			.run("run", incident.spec().toString());

		assertThat(resumed).isEqualTo(ExitCodes.DONE);
		assertThat(state.outboxByStatus()).containsOnly(org.assertj.core.api.Assertions.entry("SENT", 20L));
	}

}
