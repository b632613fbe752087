package io.makegood.ops;

import java.nio.file.Path;

import io.makegood.support.PackagedMakegood;
import io.makegood.support.PackagedMakegood.Child;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged CLI when it cannot even start: a CronJob pointed at a database that is not there must fail at
 * once with exit code 1, not sit in its SIGTERM hook for the five minutes it grants a running send.
 */
class StartFailureIT {

	@TempDir
	Path dir;

	@Test
	void aDatabaseThatIsNotThereFailsTheCommandAtOnce() throws Exception {
		// nothing listens on port 1 of loopback
		TestDatabases.Database nowhere = new TestDatabases.Database("jdbc:postgresql://127.0.0.1:1/makegood",
				"makegood", "");
		PackagedMakegood makegood = PackagedMakegood.on(nowhere, dir)
			.with("--spring.datasource.hikari.connection-timeout=2000");

		try (Child child = makegood.start("status", "status")) {
			assertThat(child.waitFor(90)).isEqualTo(ExitCodes.FAILED);
			assertThat(child.output()).contains("makegood: the command failed: ConnectException: Connection refused");
		}
	}

}
