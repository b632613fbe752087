package io.makegood.outbox;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * This process as other makegood processes see it in the database: a host and a pid. A holder recorded on this
 * host whose pid no longer runs is known to be gone at once, without waiting for its heartbeat to go stale.
 */
public final class LocalProcess {

	public static final String HOST = hostName();

	public static final long PID = ProcessHandle.current().pid();

	/** When the kernel started this process; null where it does not tell. */
	public static final Instant STARTED = ProcessHandle.current().info().startInstant().orElse(null);

	/**
	 * How far two JVMs may place one process's start apart. The JDK derives it from the boot time, which it reads
	 * in whole seconds once per JVM and which moves when the wall clock is stepped; a pid taken over by a restarted
	 * process started far later than this.
	 */
	private static final Duration SAME_START = Duration.ofSeconds(2);

	private LocalProcess() {
	}

	/** {@link #STARTED} as the {@code process_started_at} column stores it. */
	public static Timestamp startedTimestamp() {
		return STARTED == null ? null : Timestamp.from(STARTED);
	}

	/**
	 * @param started when the recorded process started, if known: a pid now held by a process that started at
	 * another moment was reused, as it usually is by a restarted container, and the recorded process is gone
	 */
	public static boolean isGone(String host, long pid, Instant started) {
		if (!HOST.equals(host)) {
			return false;
		}
		Optional<ProcessHandle> holder = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		if (holder.isEmpty()) {
			return true;
		}
		if (started == null) {
			return false;
		}
		return holder.get()
			.info()
			.startInstant()
			.map(current -> Duration.between(started, current).abs().compareTo(SAME_START) > 0)
			.orElse(false);
	}

	private static String hostName() {
		String env = System.getenv("HOSTNAME");
		if (env != null && !env.isBlank()) {
			return env;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "unknown-host";
		}
	}

}
