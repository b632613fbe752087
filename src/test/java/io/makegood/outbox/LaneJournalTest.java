package io.makegood.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.makegood.outbox.LaneJournal.Evidence;
import io.makegood.outbox.OutboxRepository.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LaneJournalTest {

	private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

	@TempDir
	Path dir;

	@Test
	void tellsForEachAccountWhetherItWasUnsentInFlightOrSettled() throws IOException {
		LaneJournals journals = new LaneJournals(dir, "boot-1");
		LaneJournal journal = journals.open(7, 1);
		journal.claiming(List.of("a", "b", "c", "d"));
		journal.sending("a");
		journal.settled(new Outcome("a", OutboxStatus.SENT, null, null), AT);
		journal.sending("b");
		journal.settled(new Outcome("b", OutboxStatus.RETRY, "451 try\tlater\nplease", AT.plusSeconds(300)), AT);
		journal.sending("c");

		Map<String, Evidence> evidence = journals.evidenceOf(7);

		assertThat(evidence).hasSize(4);
		assertThat(evidence.get("a")).isEqualTo(new Evidence.Settled(new Outcome("a", OutboxStatus.SENT, null, null), AT));
		assertThat(evidence.get("b")).isEqualTo(new Evidence.Settled(
				new Outcome("b", OutboxStatus.RETRY, "451 try\tlater\nplease", AT.plusSeconds(300)), AT));
		assertThat(evidence.get("c")).isInstanceOf(Evidence.InFlight.class);
		assertThat(evidence.get("d")).isInstanceOf(Evidence.Unsent.class);
		assertThat(journals.evidenceOf(8)).isEmpty();
	}

	@Test
	void accountIdsSurviveAnyCharacters() throws IOException {
		LaneJournals journals = new LaneJournals(dir, "boot-1");
		String awkward = "acc\\ount\t1\r\n2";
		journals.open(7, 1).claiming(List.of(awkward, "plain"));

		assertThat(journals.evidenceOf(7)).containsOnlyKeys(awkward, "plain");
	}

	@Test
	void anEntryTheProcessDiedWritingNeverHappened() throws IOException {
		LaneJournals journals = new LaneJournals(dir, "boot-1");
		journals.open(7, 1).claiming(List.of("a"));
		Files.writeString(dir.resolve("sender-7-lane-1.journal"), "S\ta", StandardCharsets.UTF_8,
				StandardOpenOption.APPEND);

		assertThat(journals.evidenceOf(7).get("a")).isInstanceOf(Evidence.Unsent.class);
	}

	@Test
	void aJournalOfAnotherBootIsNotTrusted() throws IOException {
		new LaneJournals(dir, "boot-1").open(7, 1).claiming(List.of("a"));

		assertThat(new LaneJournals(dir, "boot-2").evidenceOf(7)).isEmpty();
		assertThat(new LaneJournals(dir, null).evidenceOf(7)).isEmpty();
	}

	@Test
	void lanesOfOneSenderAreReadTogetherAndForgottenTogether() throws IOException {
		LaneJournals journals = new LaneJournals(dir, "boot-1");
		journals.open(7, 1).claiming(List.of("a"));
		journals.open(7, 2).claiming(List.of("b"));
		journals.open(17, 1).claiming(List.of("c"));

		assertThat(journals.evidenceOf(7)).containsOnlyKeys("a", "b");
		journals.forget(7);
		assertThat(journals.evidenceOf(7)).isEmpty();
		assertThat(journals.evidenceOf(17)).containsOnlyKeys("c");
	}

	@Test
	void clearingForgetsEntriesAndClosingDeletesTheFile() throws IOException {
		LaneJournals journals = new LaneJournals(dir, "boot-1");
		LaneJournal journal = journals.open(7, 1);
		journal.claiming(List.of("a"));
		journal.clear();
		journal.claiming(List.of("b"));

		assertThat(journals.evidenceOf(7)).containsOnlyKeys("b");
		journal.close();
		assertThat(dir.resolve("sender-7-lane-1.journal")).doesNotExist();
	}

	@Test
	void withoutABootIdNothingIsWritten() {
		LaneJournal journal = new LaneJournals(dir, null).open(7, 1);
		journal.claiming(List.of("a"));
		journal.close();

		assertThat(dir).isEmptyDirectory();
	}

}
