package io.makegood.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A real SMTP server on loopback (SubEthaSMTP) that counts every message it accepted per recipient. It lives in
 * the test JVM, so it keeps counting across the death of a makegood child process. It can be told to accept
 * only so many messages and then answer {@code 421} (service not available, closing the channel) to everything,
 * as a relay does while it is out of order.
 */
public final class RecordingSmtpServer implements AutoCloseable {

	private final Map<String, AtomicInteger> perRecipient = new ConcurrentHashMap<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile int acceptLimit = Integer.MAX_VALUE;

	private volatile int holdFrom = Integer.MAX_VALUE;

	private final CountDownLatch gate = new CountDownLatch(1);

	private final AtomicInteger held = new AtomicInteger();

	private final SMTPServer server;

	private RecordingSmtpServer() {
		this.server = new SMTPServer.Builder().bindAddress(InetAddress.getLoopbackAddress())
			.port(0)
			.messageHandlerFactory(Handler::new)
			.build();
	}

	public static RecordingSmtpServer start() {
		RecordingSmtpServer smtp = new RecordingSmtpServer();
		smtp.server.start();
		return smtp;
	}

	public int port() {
		return server.getPortAllocated();
	}

	/** From now on, accept messages only while fewer than {@code total} were accepted; then answer 421. */
	public void failAfter(int total) {
		acceptLimit = total;
	}

	/** The relay is repaired: accept everything again. */
	public void repair() {
		acceptLimit = Integer.MAX_VALUE;
	}

	/**
	 * Once {@code total} messages were accepted, the server reads each further message but withholds its reply
	 * until {@link #release()}: the sender stays busy in the middle of its run for as long as a test needs.
	 */
	public void holdAfter(int total) {
		holdFrom = total;
	}

	public void release() {
		gate.countDown();
	}

	/** Messages whose reply is being withheld right now. */
	public int held() {
		return held.get();
	}

	/** @return whether {@code count} messages were being held at once before the timeout */
	public boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (held.get() < count) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	/** Releases the held messages and waits until the server has answered them all. */
	public void releaseAndAwait(Duration timeout) throws InterruptedException {
		release();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (held.get() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(held.get() + " message(s) still held");
			}
			Thread.sleep(20);
		}
	}

	/** Messages accepted so far (the server answered, or was about to answer, 250 after the data). */
	public int accepted() {
		return accepted.get();
	}

	/** Accepted messages per recipient address, sorted by address. */
	public Map<String, Integer> acceptedPerRecipient() {
		Map<String, Integer> counts = new TreeMap<>();
		perRecipient.forEach((recipient, count) -> counts.put(recipient, count.get()));
		return counts;
	}

	/** @return whether at least {@code count} messages were accepted before the timeout */
	public boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (accepted.get() < count) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	@Override
	public void close() {
		release();
		server.stop();
	}

	private boolean reserveAcceptance() {
		while (true) {
			int current = accepted.get();
			if (current >= acceptLimit) {
				return false;
			}
			if (accepted.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	private static DropConnectionException outOfOrder() {
		return new DropConnectionException(421, "4.3.2 Service not available, closing transmission channel");
	}

	private final class Handler implements MessageHandler {

		private String recipient;

		Handler(MessageContext context) {
		}

		@Override
		public void from(String from) throws RejectException {
			if (accepted.get() >= acceptLimit) {
				throw outOfOrder();
			}
		}

		@Override
		public void recipient(String recipient) throws RejectException {
			if (this.recipient != null) {
				// makegood sends one message per recipient; a second RCPT would expose one customer to another
				throw new RejectException(452, "4.5.3 Too many recipients");
			}
			this.recipient = recipient.toLowerCase(Locale.ROOT);
		}

		@Override
		public String data(InputStream data) throws RejectException, IOException {
			data.readAllBytes();
			boolean holding = accepted.get() >= holdFrom;
			if (holding) {
				held.incrementAndGet();
			}
			try {
				if (holding) {
					awaitRelease();
				}
				if (!reserveAcceptance()) {
					throw outOfOrder();
				}
				perRecipient.computeIfAbsent(recipient, r -> new AtomicInteger()).incrementAndGet();
				return null;
			}
			finally {
				if (holding) {
					// only now, so a test that saw nothing held also sees the released messages counted
					held.decrementAndGet();
				}
			}
		}

		private void awaitRelease() throws IOException {
			try {
				if (!gate.await(5, TimeUnit.MINUTES)) {
					throw new IOException("held message never released");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while holding a message", ex);
			}
		}

		@Override
		public void done() {
		}

	}

}
