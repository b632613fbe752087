package io.makegood.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * SIGTERM (what Kubernetes sends before it kills a pod) becomes a graceful stop: the running incident is asked to
 * stop between chunks, exactly as {@code makegood stop} does, the command winds down and closes its context, and
 * the process then exits with the command's own exit code (4, stopped) instead of 143. Only the CLI's
 * {@code main} installs it; in-process callers (tests, {@code execute}) are not affected.
 */
public final class GracefulShutdown {

	private static volatile boolean requested;

	private static volatile boolean installed;

	private static volatile Predicate<String> stopper;

	private static volatile String runningIncident;

	private static volatile int exitCode = ExitCodes.STOPPED;

	private static volatile Duration grace = Duration.ofMinutes(5);

	private static final CountDownLatch commandFinished = new CountDownLatch(1);

	private GracefulShutdown() {
	}

	/**
	 * Installs the hook; the process then exits with the code given to {@link #commandFinished(int)}.
	 * @param grace how long the hook waits for the command to wind down, until {@link #waitUpTo} says otherwise
	 */
	public static synchronized void install(Duration grace) {
		if (installed) {
			return;
		}
		installed = true;
		GracefulShutdown.grace = grace;
		Runtime.getRuntime().addShutdownHook(new Thread(GracefulShutdown::onSignal, "mg-graceful-shutdown"));
	}

	/** The operator's {@code makegood.safety.stop-wait}, known once the application's settings are read. */
	public static void waitUpTo(Duration stopWait) {
		grace = stopWait;
	}

	/** Whether a shutdown was requested: a command must not start new work then. */
	public static boolean isRequested() {
		return requested;
	}

	/**
	 * While an incident runs, how to stop it; cleared with {@code null, null}.
	 * @param stop asks the incident's running job to stop; true once a running execution was asked
	 */
	static void running(String incidentId, Predicate<String> stop) {
		runningIncident = incidentId;
		stopper = stop;
	}

	/** Called by {@code main} when the command returned; a waiting hook then ends the process with it. */
	public static void commandFinished(int code) {
		exitCode = code;
		commandFinished.countDown();
	}

	private static void onSignal() {
		if (commandFinished.getCount() == 0) {
			return; // an ordinary exit: System.exit after the command finished
		}
		requested = true;
		long deadline = System.nanoTime() + grace.toNanos();
		boolean stopRequested = false;
		try {
			// The job may be between "about to start" and "running" when the signal arrives, so keep asking
			// until a running execution took the request or the command ended.
			while (!commandFinished.await(stopRequested ? 1000 : 200, TimeUnit.MILLISECONDS)) {
				if (System.nanoTime() > deadline) {
					return;
				}
				String incident = runningIncident;
				Predicate<String> stop = stopper;
				if (!stopRequested && incident != null && stop != null) {
					try {
						stopRequested = stop.test(incident);
						if (stopRequested) {
							System.err.println("Termination requested: stopping " + incident
									+ " between chunks; run it again to resume");
						}
					}
					catch (RuntimeException ex) {
						System.err.println("Could not request the stop: " + ex.getMessage());
					}
				}
			}
			// halt, not exit: we are inside the shutdown sequence, and the exit code must be the command's
			Runtime.getRuntime().halt(exitCode);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
