package io.makegood.outbox;

import java.net.InetAddress;

/**
 * This process as other makegood processes see it in the database: a host and a pid. A holder recorded on this
 * host whose pid no longer runs is known to be gone at once, without waiting for its heartbeat to go stale.
 */
public final class LocalProcess {

	public static final String HOST = hostName();

	public static final long PID = ProcessHandle.current().pid();

	private LocalProcess() {
	}

	public static boolean isGone(String host, long pid) {
		return HOST.equals(host) && ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty();
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
