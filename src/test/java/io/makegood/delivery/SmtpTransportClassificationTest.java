package io.makegood.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import jakarta.mail.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real SMTP server whose behaviour is chosen by the recipient's local part: busy (451), gone (550), refused
 * after the data (554), drop (closes the connection after reading the whole message), slow (answers after the
 * client's read timeout). Anything else is accepted.
 */
class SmtpTransportClassificationTest {

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Set<String> connections = ConcurrentHashMap.newKeySet();

	private final MimeComposer composer = new MimeComposer("Care <care@example.com>", null);

	private SMTPServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void acceptsAndUsesTheMessagesEnvelopeSender() {
		try (TransportSession session = transport(5000).openSession()) {
			SendOutcome outcome = session.send(message("ok@example.org", "bounces+a1@example.com"));
			SendOutcome second = session.send(message("ok2@example.org", "bounces+a2@example.com"));

			assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			assertThat(outcome.reply()).startsWith("250");
			assertThat(second.kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
		assertThat(this.received).extracting(Received::from)
			.containsExactly("bounces+a1@example.com", "bounces+a2@example.com");
		assertThat(this.received).extracting(Received::recipient).containsExactly("ok@example.org", "ok2@example.org");
		assertThat(this.received.get(0).data()).contains("Message-ID: " + MessageIds.of("outage-1", "ok@example.org",
				"example.com"));
		assertThat(this.connections).hasSize(1);
	}

	@Test
	void classifiesRejectionsAndKeepsTheConnectionUsable() {
		try (TransportSession session = transport(5000).openSession()) {
			SendOutcome busy = session.send(message("busy@example.org", "b@example.com"));
			SendOutcome gone = session.send(message("gone@example.org", "b@example.com"));
			SendOutcome afterRejections = session.send(message("ok@example.org", "b@example.com"));
			SendOutcome refused = session.send(message("refused@example.org", "b@example.com"));
			SendOutcome afterRefusal = session.send(message("ok2@example.org", "b@example.com"));

			assertThat(busy.kind()).isEqualTo(SendOutcome.Kind.TRANSIENT);
			assertThat(busy.reply()).startsWith("451").contains("try later");
			assertThat(gone.kind()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(gone.reply()).startsWith("550").contains("[recipient]").doesNotContain("gone@example.org");
			assertThat(refused.kind()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(refused.reply()).startsWith("554");
			assertThat(afterRejections.kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			assertThat(afterRefusal.kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
		assertThat(this.connections).as("rejections must not cost a reconnect").hasSize(1);
		assertThat(this.received).extracting(Received::recipient).containsExactly("ok@example.org", "ok2@example.org");
	}

	@Test
	void aConnectionLostAfterTheWholeMessageIsInDoubtAndTheNextSendReconnects() {
		try (TransportSession session = transport(5000).openSession()) {
			assertThat(session.send(message("ok@example.org", "b@example.com")).kind())
				.isEqualTo(SendOutcome.Kind.ACCEPTED);

			SendOutcome dropped = session.send(message("drop@example.org", "b@example.com"));

			assertThat(dropped.kind()).isEqualTo(SendOutcome.Kind.IN_DOUBT);
			assertThat(dropped.reply()).doesNotContain("drop@example.org");
			assertThat(session.send(message("ok2@example.org", "b@example.com")).kind())
				.isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
		assertThat(this.connections).hasSize(2);
	}

	@Test
	void noAnswerWithinTheReadTimeoutIsInDoubt() {
		try (TransportSession session = transport(1000).openSession()) {
			SendOutcome slow = session.send(message("slow@example.org", "b@example.com"));

			assertThat(slow.kind()).isEqualTo(SendOutcome.Kind.IN_DOUBT);
			assertThat(session.send(message("ok@example.org", "b@example.com")).kind())
				.isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
	}

	@Test
	void aServerThatIsNotThereIsTransient() {
		startServer();
		Session unreachable = session(this.server.getPortAllocated(), 2000);
		this.server.stop();
		this.server = null;

		try (TransportSession session = new SmtpTransport(unreachable).openSession()) {
			SendOutcome outcome = session.send(message("ok@example.org", "b@example.com"));

			assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.TRANSIENT);
			assertThat(outcome.reply()).startsWith("cannot connect");
		}
	}

	@Test
	void reconnectsTransparentlyWhenTheServerClosedAnIdleConnection() throws InterruptedException {
		this.server = builder().connectionTimeoutMs(300).build();
		this.server.start();
		try (TransportSession session = new SmtpTransport(session(this.server.getPortAllocated(), 5000))
			.openSession()) {
			assertThat(session.send(message("ok@example.org", "b@example.com")).kind())
				.isEqualTo(SendOutcome.Kind.ACCEPTED);
			Thread.sleep(1000);

			SendOutcome afterIdle = session.send(message("ok2@example.org", "b@example.com"));

			assertThat(afterIdle.kind()).as(afterIdle.reply()).isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
		assertThat(this.connections).hasSize(2);
	}

	/** The session's own sockets (CoalescingSocketFactory) carry STARTTLS: the server refuses mail without it. */
	@Test
	void sendsOverStartTlsWhenTheServerRequiresIt(@TempDir Path keys) throws Exception {
		this.server = builder().enableTLS().requireTLS().startTlsSocketFactory(selfSignedTls(keys)).build();
		this.server.start();
		Session tls = session(this.server.getPortAllocated(), 5000);
		tls.getProperties().setProperty("mail.smtp.starttls.enable", "true");
		tls.getProperties().setProperty("mail.smtp.starttls.required", "true");
		tls.getProperties().setProperty("mail.smtp.ssl.trust", InetAddress.getLoopbackAddress().getHostAddress());
		try (TransportSession session = new SmtpTransport(tls).openSession()) {
			SendOutcome first = session.send(message("ok@example.org", "b@example.com"));
			SendOutcome second = session.send(message("ok2@example.org", "b@example.com"));

			assertThat(first.kind()).as(first.reply()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			assertThat(second.kind()).as(second.reply()).isEqualTo(SendOutcome.Kind.ACCEPTED);
		}
		assertThat(this.received).extracting(Received::recipient).containsExactly("ok@example.org", "ok2@example.org");
		assertThat(this.connections).hasSize(1);
	}

	/** A TLS context with a fresh self-signed certificate for the loopback address, made by the JDK's keytool. */
	private static SSLContext selfSignedTls(Path dir) throws Exception {
		Path store = dir.resolve("smtp.p12");
		Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
				"-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
				"CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
				"-storepass", "changeit", "-keypass", "changeit")
			.redirectErrorStream(true)
			.start();
		String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(keytool.waitFor()).as(output).isZero();
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(store)) {
			keyStore.load(in, "changeit".toCharArray());
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keyStore, "changeit".toCharArray());
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		return context;
	}

	@Test
	void rejectsAnInvalidRecipientWithoutTalkingToTheServer() {
		try (TransportSession session = transport(5000).openSession()) {
			SendOutcome outcome = session.send(new OutgoingMessage("outage-1", "A-1", "b@example.com",
					"not an address", "<x@example.com>", new byte[0]));

			assertThat(outcome.kind()).isEqualTo(SendOutcome.Kind.PERMANENT);
		}
		assertThat(this.connections).isEmpty();
	}

	private SmtpTransport transport(int readTimeoutMs) {
		startServer();
		return new SmtpTransport(session(this.server.getPortAllocated(), readTimeoutMs));
	}

	private void startServer() {
		this.server = builder().build();
		this.server.start();
	}

	private SMTPServer.Builder builder() {
		return new SMTPServer.Builder().bindAddress(InetAddress.getLoopbackAddress())
			.port(0)
			.messageHandlerFactory(Handler::new);
	}

	private static Session session(int port, int readTimeoutMs) {
		Properties properties = new Properties();
		properties.setProperty("mail.smtp.host", InetAddress.getLoopbackAddress().getHostAddress());
		properties.setProperty("mail.smtp.port", String.valueOf(port));
		properties.setProperty("mail.smtp.timeout", String.valueOf(readTimeoutMs));
		properties.setProperty("mail.smtp.connectiontimeout", "2000");
		return Session.getInstance(properties);
	}

	private OutgoingMessage message(String recipient, String envelopeFrom) {
		String messageId = MessageIds.of("outage-1", recipient, "example.com");
		byte[] content = this.composer.compose("outage-1", messageId, recipient, null,
				new RenderedMessage("We're sorry", "Text body\n", "<p>Html body</p>"));
		return new OutgoingMessage("outage-1", recipient, envelopeFrom, recipient, messageId, content);
	}

	record Received(String from, String recipient, String data) {
	}

	private final class Handler implements MessageHandler {

		private final MessageContext context;

		private String from;

		private String recipient;

		Handler(MessageContext context) {
			this.context = context;
			SmtpTransportClassificationTest.this.connections.add(context.getSessionId());
		}

		@Override
		public void from(String from) {
			this.from = from;
		}

		@Override
		public void recipient(String recipient) throws RejectException {
			this.recipient = recipient;
			if (recipient.startsWith("busy@")) {
				throw new RejectException(451, "4.3.0 Mailbox busy, try later");
			}
			if (recipient.startsWith("gone@")) {
				throw new RejectException(550, "5.1.1 <" + recipient + ">: Recipient address rejected");
			}
		}

		@Override
		public String data(InputStream data) throws RejectException, IOException {
			String content = new String(data.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
			if (this.recipient.startsWith("refused@")) {
				throw new RejectException(554, "5.7.1 Message refused");
			}
			if (this.recipient.startsWith("drop@")) {
				((org.subethamail.smtp.server.Session) this.context).closeSocket();
				return null;
			}
			if (this.recipient.startsWith("slow@")) {
				sleep(3000);
			}
			SmtpTransportClassificationTest.this.received.add(new Received(this.from, this.recipient, content));
			return null;
		}

		@Override
		public void done() {
		}

		private static void sleep(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
