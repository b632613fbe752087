package io.makegood.delivery;

/**
 * Opens when too many of the most recent attempts failed, so a dead or hostile server stops the run early
 * (everything left stays resumable) instead of burning through the whole audience.
 */
public class CircuitBreaker {

	private final boolean[] window;

	private final int minimumAttempts;

	private final double failureRatio;

	private int next;

	private int recorded;

	private int failures;

	private volatile boolean open;

	public CircuitBreaker(int windowSize, int minimumAttempts, double failureRatio) {
		this.window = new boolean[windowSize];
		this.minimumAttempts = minimumAttempts;
		this.failureRatio = failureRatio;
	}

	public synchronized void record(boolean failed) {
		if (recorded == window.length && window[next]) {
			failures--;
		}
		window[next] = failed;
		next = (next + 1) % window.length;
		recorded = Math.min(recorded + 1, window.length);
		if (failed) {
			failures++;
		}
		if (recorded >= minimumAttempts && failures >= failureRatio * recorded) {
			open = true;
		}
	}

	public boolean isOpen() {
		return open;
	}

	public synchronized String describe() {
		return failures + " of the last " + recorded + " attempts failed";
	}

}
