package io.makegood.ops;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deliveries one {@code nightly} resumes, each on its own: an incident or campaign that cannot be resumed
 * (a stored spec that no longer validates, a template gone) is reported and the others still go out, since
 * otherwise one broken incident would hold every other one, the reminders and billing back night after night.
 * The exit code is the first one that is not DONE, so a scheduler still sees that the night did not finish.
 */
final class NightlyDeliveries {

	private static final Logger log = LoggerFactory.getLogger(NightlyDeliveries.class);

	/** What a reason may quote (an SMTP reply, a spec value) must not put a customer's address in a CronJob log. */
	private static final Pattern ADDRESS = Pattern.compile("[^\\s<>()\\[\\]\",;:@]+@[^\\s<>()\\[\\]\",;:@]+");

	record Result(int exitCode, String summary) {
	}

	@FunctionalInterface
	interface Delivery {

		Result deliver() throws Exception;

	}

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, String> unfinished = new LinkedHashMap<>();

	private int exitCode = ExitCodes.DONE;

	NightlyDeliveries(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	/** @param what "incident x" or "campaign x:reminder", as the summary names it */
	void deliver(String what, Delivery delivery) {
		Result result;
		try {
			result = delivery.deliver();
		}
		catch (Exception ex) {
			// the stack may quote an address, so only for an operator who turns debug on to diagnose
			log.debug("Nightly could not resume {}", what, ex);
			result = new Result(ExitCodes.FAILED, "Could not resume " + what + ": " + oneLine(ex) + ".");
		}
		if (result.exitCode() == ExitCodes.DONE) {
			out.println("deliver: " + result.summary());
			return;
		}
		String summary = withoutAddresses(result.summary());
		err.println("deliver: " + summary);
		unfinished.put(what, summary);
		if (exitCode == ExitCodes.DONE) {
			exitCode = result.exitCode();
		}
	}

	int exitCode() {
		return exitCode;
	}

	/** Printed last, so the end of a CronJob's log says what is left without scrolling through the night. */
	void printSummary() {
		if (unfinished.isEmpty()) {
			return;
		}
		err.println("nightly: " + unfinished.size()
				+ " incident(s) or campaign(s) left unfinished; everything else due was done:");
		unfinished.forEach((what, summary) -> err.println("  " + what + ": " + summary));
		err.println("Run nightly again once fixed: it only does what is still due.");
	}

	static String oneLine(Exception ex) {
		String message = IncidentRunner.failureMessage(ex);
		if (message == null || message.isBlank()) {
			return ex.getClass().getSimpleName();
		}
		return String.join("; ", message.strip().lines().map(String::strip).toList());
	}

	static String withoutAddresses(String text) {
		return ADDRESS.matcher(text).replaceAll("[address]");
	}

}
