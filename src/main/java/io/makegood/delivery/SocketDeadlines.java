package io.makegood.delivery;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Time limits for blocking socket calls, kept by one watchdog thread that closes a socket whose call has run past
 * its limit; the call then ends with a {@link SocketTimeoutException}, as the JDK's own timeouts end it.
 * <p>
 * Why not the JDK's and the mail provider's timeouts: a JDK socket read timeout switches the socket to
 * non-blocking mode for good, so every read that has to wait becomes read, poll, read; and the provider's write
 * timeout schedules and cancels a task on a timer thread of its own for every write, waking that thread each
 * time. A lane waits for the server twice per message, so at 1M messages the two showed as the largest parts
 * of the lanes' kernel time. Here a call costs two volatile writes, and a limit is kept to within
 * {@link #TICK_MS}.
 */
final class SocketDeadlines {

	static final long TICK_MS = 50;

	private static final Set<Deadline> running = ConcurrentHashMap.newKeySet();

	private static ScheduledExecutorService watchdog;

	private SocketDeadlines() {
	}

	/** A time limit for one kind of call (connect, read or write) on one socket. */
	static final class Deadline {

		private final Socket socket;

		private final String timedOut;

		private volatile long dueNanos;

		private volatile boolean expired;

		/** Only the socket's thread starts calls, so a plain flag saves a map lookup on every call. */
		private boolean watched;

		/** @param timedOut the message of the exception a call past its limit ends with */
		Deadline(Socket socket, String timedOut) {
			this.socket = socket;
			this.timedOut = timedOut;
		}

		/** A call starts that may last {@code limitMs} (none when zero or less). */
		void start(long limitMs) {
			if (limitMs <= 0) {
				return;
			}
			this.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
			if (!this.watched) {
				this.watched = true;
				watch(this);
			}
		}

		void stop() {
			this.dueNanos = 0;
		}

		/** The failure a call ended with, or a timeout when the watchdog ended it; a socket it closed stays so. */
		IOException explain(IOException failure) {
			if (!this.expired) {
				return failure;
			}
			SocketTimeoutException timeout = new SocketTimeoutException(this.timedOut);
			timeout.initCause(failure);
			return timeout;
		}

		void forget() {
			running.remove(this);
		}

		private boolean expireIfDue(long now) {
			long due = this.dueNanos;
			if (due == 0 || now - due < 0) {
				return this.socket.isClosed();
			}
			this.expired = true;
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing is how the call is ended; a socket that will not close is beyond saving anyway
			}
			return true;
		}

	}

	private static void watch(Deadline deadline) {
		running.add(deadline);
		startWatchdog();
	}

	private static synchronized void startWatchdog() {
		if (watchdog != null) {
			return;
		}
		watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "mg-socket-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		watchdog.scheduleWithFixedDelay(SocketDeadlines::expireDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
	}

	private static void expireDue() {
		long now = System.nanoTime();
		running.removeIf(deadline -> deadline.expireIfDue(now));
	}

}
