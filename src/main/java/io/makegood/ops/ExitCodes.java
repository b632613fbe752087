package io.makegood.ops;

/** Process exit codes, part of makegood's contract with schedulers and scripts. */
public final class ExitCodes {

	public static final int DONE = 0;

	/** The run failed; everything is kept, and running the same command again resumes. */
	public static final int FAILED = 1;

	/** The spec or the command line is invalid; nothing was written. */
	public static final int INVALID = 2;

	/**
	 * The run was refused before anything was credited or sent: the frozen audience is outside the spec's guard,
	 * or an approval is missing or stale. Correct the spec or approve the current plan, then run again.
	 */
	public static final int REFUSED = 3;

	/** The run was stopped on request (stop command or SIGTERM); running it again resumes. */
	public static final int STOPPED = 4;

	/** Another live process is running this incident; nothing was done. */
	public static final int BUSY = 5;

	private ExitCodes() {
	}

}
