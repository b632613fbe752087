package io.makegood.ops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.makegood.incident.InvalidSpecException;
import io.makegood.incident.SpecProblem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NightlyDeliveriesTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private final NightlyDeliveries deliveries = new NightlyDeliveries(print(out), print(err));

	private final List<String> delivered = new ArrayList<>();

	@Test
	void aDeliveryThatThrowsIsNamedWithoutAddressesAndTheNextOnesStillRun() {
		deliveries.deliver("incident broken", () -> {
			throw new InvalidSpecException(List.of(new SpecProblem("audience.file", "not found: /jobs/a.csv"),
					new SpecProblem("message.from", "'Bob <bob.smith+x@example.org>' is not valid")));
		});
		deliveries.deliver("incident healthy", () -> done("healthy"));
		deliveries.deliver("campaign healthy:reminder", () -> done("healthy:reminder"));
		deliveries.printSummary();

		assertThat(delivered).containsExactly("healthy", "healthy:reminder");
		assertThat(deliveries.exitCode()).isEqualTo(ExitCodes.FAILED);
		assertThat(text(out)).isEqualTo("""
				deliver: healthy done.
				deliver: healthy:reminder done.
				""");
		assertThat(text(err)).isEqualTo("""
				deliver: Could not resume incident broken: audience.file: not found: /jobs/a.csv; \
				message.from: 'Bob <[address]>' is not valid.
				nightly: 1 incident(s) or campaign(s) left unfinished; everything else due was done:
				  incident broken: Could not resume incident broken: audience.file: not found: /jobs/a.csv; \
				message.from: 'Bob <[address]>' is not valid.
				Run nightly again once fixed: it only does what is still due.
				""");
	}

	@Test
	void theExitCodeIsTheFirstUnfinishedDeliverysAndEveryOneIsNamed() {
		deliveries.deliver("incident busy", () -> new NightlyDeliveries.Result(ExitCodes.BUSY, "busy elsewhere"));
		deliveries.deliver("incident relay", () -> new NightlyDeliveries.Result(ExitCodes.FAILED,
				"Incident relay did not finish (550 <carol@example.org> unknown); 1 message(s) left."));
		deliveries.printSummary();

		assertThat(deliveries.exitCode()).isEqualTo(ExitCodes.BUSY);
		assertThat(text(err)).contains("nightly: 2 incident(s)", "  incident busy: busy elsewhere\n",
				"  incident relay: Incident relay did not finish (550 <[address]> unknown)")
			.doesNotContain("carol");
	}

	@Test
	void nothingIsSummedUpWhenEverythingFinished() {
		deliveries.deliver("incident healthy", () -> done("healthy"));
		deliveries.printSummary();

		assertThat(deliveries.exitCode()).isEqualTo(ExitCodes.DONE);
		assertThat(text(err)).isEmpty();
	}

	private NightlyDeliveries.Result done(String id) {
		delivered.add(id);
		return new NightlyDeliveries.Result(ExitCodes.DONE, id + " done.");
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

	private static String text(ByteArrayOutputStream bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
