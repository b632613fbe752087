package io.makegood.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A real SMTP server on loopback (SubEthaSMTP) that misbehaves on purpose, per recipient, the way real mail
 * infrastructure does: temporary refusals, "slow down" replies, unknown users, a connection lost after the data,
 * or refusing everything. It records every attempt, the data of every message that reached its end (accepted or
 * not), and every accepted message with its arrival time.
 */
public final class FaultySmtpServer implements AutoCloseable {

	public enum Fault {

		NONE,
		/** 451 on the first attempt, accepted afterwards. */
		TRANSIENT_ONCE,
		/** 454 "throttling" on the first attempt, accepted afterwards. */
		THROTTLE_ONCE,
		/** 550 5.1.1 user unknown, always. */
		UNKNOWN_USER,
		/** Reads the whole message, then closes the connection without a reply, once. */
		DROP_AFTER_DATA_ONCE,
		/** 554 to every message. */
		REFUSE

	}

	/** One accepted message. */
	public record Arrival(String recipient, long nanoTime) {

		public String domain() {
			return recipient.substring(recipient.indexOf('@') + 1);
		}

	}

	private final Function<String, Fault> faults;

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

	private final List<Arrival> arrivals = new ArrayList<>();

	private final Map<String, List<byte[]>> received = new ConcurrentHashMap<>();

	private final SMTPServer server;

	private FaultySmtpServer(Function<String, Fault> faults) {
		this.faults = faults;
		this.server = new SMTPServer.Builder().bindAddress(InetAddress.getLoopbackAddress())
			.port(0)
			.maxConnections(64)
			.messageHandlerFactory(Handler::new)
			.build();
	}

	public static FaultySmtpServer start(Function<String, Fault> faults) {
		FaultySmtpServer smtp = new FaultySmtpServer(faults);
		smtp.server.start();
		return smtp;
	}

	public int port() {
		return server.getPortAllocated();
	}

	/** Messages that reached the end of their data, accepted or not. */
	public int attempts(String recipient) {
		AtomicInteger count = attempts.get(recipient.toLowerCase(Locale.ROOT));
		return count == null ? 0 : count.get();
	}

	public int totalAttempts() {
		return attempts.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	/** The data of each message to the recipient that reached its end, in order, whatever the reply was. */
	public List<byte[]> received(String recipient) {
		return List.copyOf(received.getOrDefault(recipient.toLowerCase(Locale.ROOT), List.of()));
	}

	public int accepted(String recipient) {
		AtomicInteger count = accepted.get(recipient.toLowerCase(Locale.ROOT));
		return count == null ? 0 : count.get();
	}

	public int totalAccepted() {
		return accepted.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	public Map<String, AtomicInteger> acceptedPerRecipient() {
		return accepted;
	}

	public synchronized List<Arrival> arrivals() {
		return List.copyOf(arrivals);
	}

	@Override
	public void close() {
		server.stop();
	}

	private synchronized void arrived(String recipient) {
		arrivals.add(new Arrival(recipient, System.nanoTime()));
	}

	private final class Handler implements MessageHandler {

		private final MessageContext context;

		private String recipient;

		Handler(MessageContext context) {
			this.context = context;
		}

		@Override
		public void from(String from) {
		}

		@Override
		public void recipient(String recipient) throws RejectException {
			if (this.recipient != null) {
				throw new RejectException(452, "4.5.3 one recipient per message, please");
			}
			this.recipient = recipient.toLowerCase(Locale.ROOT);
		}

		@Override
		public String data(InputStream data) throws RejectException, IOException {
			received.computeIfAbsent(recipient, r -> Collections.synchronizedList(new ArrayList<>()))
				.add(data.readAllBytes());
			int attempt = attempts.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
			switch (faults.apply(recipient)) {
				case TRANSIENT_ONCE -> {
					if (attempt == 1) {
						throw new RejectException(451, "4.3.0 temporary local problem, try again");
					}
				}
				case THROTTLE_ONCE -> {
					if (attempt == 1) {
						throw new RejectException(454, "4.7.0 Throttling failure: maximum sending rate exceeded");
					}
				}
				case UNKNOWN_USER -> throw new RejectException(550, "5.1.1 <" + recipient + ">: user unknown");
				case DROP_AFTER_DATA_ONCE -> {
					if (attempt == 1) {
						((Session) context).closeSocket();
						throw new IOException("connection dropped after the data, before the reply");
					}
				}
				case REFUSE -> throw new RejectException(554, "5.7.1 refused");
				case NONE -> {
				}
			}
			accepted.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
			arrived(recipient);
			return null;
		}

		@Override
		public void done() {
		}

	}

}
