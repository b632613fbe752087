package io.makegood.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.makegood.ops.ExitCodes;
import io.makegood.support.CsvIncident;
import io.makegood.support.IncidentState;
import io.makegood.support.Makegood;
import io.makegood.support.MigratedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grant step credits the snapshot's ranges side by side. When one range fails half-way, the finished ranges
 * are not run again and the failed one resumes from its last committed chunk: every account ends with exactly one
 * credit and one message.
 */
class GrantRestartTest {

	private static final int ACCOUNTS = 3000;

	/** Two workers take eight ranges of 375 positions; this one is in the seventh (2251..2625), in its second chunk. */
	private static final String FAILING_ACCOUNT = "A-02450";

	@TempDir
	Path workDir;

	@Test
	void aFailedRangeResumesWhereItStoppedAndAFinishedOneIsNotRunAgain() throws IOException {
		MigratedDatabase database = MigratedDatabase.postgres();
		database.jdbc().execute("""
				create function mg_test_fail_credit() returns trigger language plpgsql as $$
				begin
				  if new.account_id = '%s' then raise exception 'injected: the credit store is unavailable'; end if;
				  return new;
				end $$""".formatted(FAILING_ACCOUNT));
		database.jdbc().execute("create trigger mg_test_fail_credit before insert on mg_credit"
				+ " for each row execute function mg_test_fail_credit()");
		CsvIncident incident = CsvIncident.write(workDir.resolve("jobs"), "grant-restart-1", ACCOUNTS);
		IncidentState state = new IncidentState(database.database(), incident.id());
		Makegood makegood = Makegood.on(database.database(), workDir)
			.with("--makegood.audience.page-size=100", "--makegood.credit.grant-workers=2");

		int firstRun = makegood.run("run", incident.spec().toString());

		assertThat(firstRun).isEqualTo(ExitCodes.FAILED);
		assertThat(state.creditRows()).as("the other ranges whole, the seventh up to the failing chunk")
			.isEqualTo(7 * 375 + 100);
		assertThat(state.outboxByStatus()).as("nothing is sent before every credit is granted")
			.containsOnlyKeys("PENDING");
		assertThat(pickedUpMessages()).isZero();

		database.jdbc().execute("drop trigger mg_test_fail_credit on mg_credit");
		int secondRun = makegood.run("run", incident.spec().toString());

		assertThat(secondRun).as("%s", state.stepExecutions()).isEqualTo(ExitCodes.DONE);
		List<String> ranges = state.stepExecutions()
			.stream()
			.filter(step -> step.startsWith("grant-range"))
			.map(step -> step.substring(0, step.indexOf(" exit=")))
			.toList();
		List<String> finished = Stream.of(0, 1, 2, 3, 4, 5, 7)
			.map(part -> "grant-range:part" + part + " COMPLETED read=375 write=375")
			.toList();
		assertThat(ranges).as("the finished ranges ran once, the failed one resumed at position 2351")
			.containsAll(finished)
			.contains("grant-range:part6 FAILED read=200 write=100", "grant-range:part6 COMPLETED read=275 write=275")
			.hasSize(finished.size() + 2);
		assertThat(state.creditsPerAccount().keySet()).containsExactlyInAnyOrderElementsOf(incident.accountIds());
		assertThat(state.creditsPerAccount().values()).containsOnly(1L);
		assertThat(state.outboxByStatus()).containsExactly(Map.entry("SENT", (long) ACCOUNTS));
		assertThat(pickedUpMessages()).isEqualTo(ACCOUNTS);
	}

	private long pickedUpMessages() throws IOException {
		Path outbox = workDir.resolve("outbox");
		if (!Files.isDirectory(outbox)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(outbox)) {
			return files.filter(file -> file.toString().endsWith(".eml")).count();
		}
	}

}
