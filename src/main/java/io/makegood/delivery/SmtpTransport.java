package io.makegood.delivery;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.mail.Address;
import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends prebuilt messages over SMTP, one persistent connection per {@link TransportSession}.
 * <p>
 * Every session gets its own copy of the configured {@link Session}, because the envelope sender is passed to
 * the provider as the {@code mail.smtp.from} property and sessions run on different threads; the copy also
 * carries the session's own {@link CoalescingSocketFactory}.
 */
public final class SmtpTransport implements MailTransport {

	static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

	static final int DEFAULT_READ_TIMEOUT_MS = 30_000;

	static final int DEFAULT_WRITE_TIMEOUT_MS = 30_000;

	private final Session configured;

	private final String protocol;

	public SmtpTransport(Session session) {
		this.configured = Objects.requireNonNull(session, "session");
		String configuredProtocol = session.getProperty("mail.transport.protocol");
		this.protocol = (configuredProtocol == null || configuredProtocol.isBlank()) ? "smtp" : configuredProtocol;
	}

	@Override
	public TransportSession openSession() {
		Properties properties = new Properties();
		properties.putAll(this.configured.getProperties());
		String prefix = "mail." + this.protocol + ".";
		properties.putIfAbsent(prefix + "connectiontimeout", String.valueOf(DEFAULT_CONNECT_TIMEOUT_MS));
		properties.putIfAbsent(prefix + "timeout", String.valueOf(DEFAULT_READ_TIMEOUT_MS));
		properties.putIfAbsent(prefix + "writetimeout", String.valueOf(DEFAULT_WRITE_TIMEOUT_MS));
		String factoryProperty = prefix + "socketFactory";
		// an operator's own socket factory (a proxy, say) wins; then no socket holds writes, the provider keeps
		// the time limits, and sending costs a few more system calls
		boolean ownSockets = "smtp".equals(this.protocol) && !properties.containsKey(factoryProperty)
				&& !properties.containsKey(factoryProperty + ".class");
		CoalescingSocketFactory writes;
		if (ownSockets) {
			// the sockets keep the write limit themselves, instead of the provider's timer thread
			String writeTimeout = properties.remove(prefix + "writetimeout").toString().trim();
			writes = new CoalescingSocketFactory(Long.parseLong(writeTimeout));
			properties.put(factoryProperty, writes);
		}
		else {
			writes = new CoalescingSocketFactory(0);
		}
		// makes the provider's liveness probe (isConnected) send RSET, which also clears a half-done transaction
		properties.put(prefix + "userset", "true");
		Session copy = Session.getInstance(properties, new DelegatingAuthenticator(this.configured));
		return new SmtpSession(copy, this.protocol, writes);
	}

	/** Asks the configured session's authenticator, which a copied Session cannot otherwise reach. */
	private static final class DelegatingAuthenticator extends Authenticator {

		private final Session delegate;

		DelegatingAuthenticator(Session delegate) {
			this.delegate = delegate;
		}

		@Override
		protected PasswordAuthentication getPasswordAuthentication() {
			InetAddress site = getRequestingSite();
			return this.delegate.requestPasswordAuthentication(site, getRequestingPort(), getRequestingProtocol(),
					getRequestingPrompt(), getDefaultUserName());
		}

	}

	static final class SmtpSession implements TransportSession {

		private final Session session;

		private final String protocol;

		private final String envelopeFromProperty;

		private final String defaultEnvelopeFrom;

		private final CoalescingSocketFactory writes;

		private Transport transport;

		private boolean verifyBeforeNextSend;

		private int sentOnConnection;

		SmtpSession(Session session, String protocol, CoalescingSocketFactory writes) {
			this.session = session;
			this.protocol = protocol;
			this.writes = writes;
			this.envelopeFromProperty = "mail." + protocol + ".from";
			this.defaultEnvelopeFrom = session.getProperty(this.envelopeFromProperty);
		}

		@Override
		public SendOutcome send(OutgoingMessage message) {
			InternetAddress recipient;
			try {
				recipient = new InternetAddress(message.recipient().strip(), true);
			}
			catch (AddressException ex) {
				return SendOutcome.permanentFailure("recipient address is not valid");
			}
			String envelopeFrom = useEnvelopeFrom(message.envelopeFrom());
			Attempt attempt = attempt(message, envelopeFrom, recipient);
			// A reused connection the server has quietly dropped fails before any data is sent: one fresh
			// connection settles whether the server is really unavailable.
			if (attempt.retryable()) {
				attempt = attempt(message, envelopeFrom, recipient);
			}
			return attempt.outcome();
		}

		private Attempt attempt(OutgoingMessage message, String envelopeFrom, InternetAddress recipient) {
			boolean reused;
			try {
				reused = ensureConnected();
			}
			catch (MessagingException | IllegalStateException ex) {
				closeQuietly();
				return new Attempt(SendOutcome.transientFailure(
						"cannot connect: " + SmtpReplies.replyText(ex, message.recipient())), false);
			}
			AtomicBoolean bodyWritten = new AtomicBoolean();
			try {
				if (pipelines(envelopeFrom, recipient)) {
					((PipeliningSmtpTransport) this.transport).sendPipelined(envelopeFrom, recipient.getAddress(),
							message.content(), () -> bodyWritten.set(true));
				}
				else {
					this.transport.sendMessage(
							new RawMimeMessage(this.session, message.content(), () -> bodyWritten.set(true)),
							new Address[] { recipient });
				}
				this.sentOnConnection++;
				return new Attempt(SendOutcome.accepted(acceptedReply()), false);
			}
			catch (MessagingException | IllegalStateException ex) {
				return failed(ex, bodyWritten.get(), reused, message.recipient());
			}
		}

		private boolean pipelines(String envelopeFrom, InternetAddress recipient) {
			return this.transport instanceof PipeliningSmtpTransport pipelining
					&& pipelining.canPipeline(envelopeFrom, recipient.getAddress());
		}

		private Attempt failed(Exception failure, boolean bodyWritten, boolean reused, String recipient) {
			int code = SmtpReplies.replyCode(failure);
			String reply = SmtpReplies.replyText(failure, recipient);
			// the provider resets the transaction after a 4xx/5xx; verifying costs one RSET and covers the rest
			this.verifyBeforeNextSend = true;
			if (code == 421 || code == SmtpReplies.NO_REPLY) {
				closeQuietly();
			}
			if (code >= 400 && code < 500) {
				return new Attempt(SendOutcome.transientFailure(reply), reused && !bodyWritten && code == 421);
			}
			if (code >= 500 && code < 600) {
				return new Attempt(SendOutcome.permanentFailure(reply), false);
			}
			if (bodyWritten) {
				return new Attempt(SendOutcome.inDoubt("connection lost after the message was sent: " + reply),
						false);
			}
			return new Attempt(SendOutcome.transientFailure("connection failed: " + reply), reused);
		}

		/** @return whether an already open connection is being reused */
		private boolean ensureConnected() throws MessagingException {
			if (this.transport != null && this.verifyBeforeNextSend) {
				this.verifyBeforeNextSend = false;
				if (!this.transport.isConnected()) {
					closeQuietly();
				}
			}
			if (this.transport != null) {
				return this.sentOnConnection > 0;
			}
			Transport fresh = ("smtp".equals(this.protocol) || "smtps".equals(this.protocol))
					? new PipeliningSmtpTransport(this.session, this.protocol, this.writes)
					: this.session.getTransport(this.protocol);
			fresh.connect();
			this.transport = fresh;
			this.sentOnConnection = 0;
			this.verifyBeforeNextSend = false;
			return false;
		}

		private String useEnvelopeFrom(String envelopeFrom) {
			String sender = (envelopeFrom != null && !envelopeFrom.isBlank()) ? envelopeFrom.strip()
					: this.defaultEnvelopeFrom;
			if (sender == null) {
				throw new IllegalArgumentException(
						"No envelope sender: set OutgoingMessage.envelopeFrom or " + this.envelopeFromProperty);
			}
			this.session.getProperties().setProperty(this.envelopeFromProperty, sender);
			return sender;
		}

		/** Only the code: an accepted message's reply is never stored, so it is not worth masking per message. */
		private String acceptedReply() {
			String reply = (this.transport instanceof SMTPTransport smtp) ? smtp.getLastServerResponse() : null;
			return (reply != null && reply.length() >= 3) ? reply.substring(0, 3) : "accepted";
		}

		private void closeQuietly() {
			Transport current = this.transport;
			this.transport = null;
			this.sentOnConnection = 0;
			if (current != null) {
				try {
					current.close();
				}
				catch (MessagingException | RuntimeException ex) {
					// the connection is being abandoned anyway
				}
			}
		}

		@Override
		public void close() {
			closeQuietly();
		}

	}

	private record Attempt(SendOutcome outcome, boolean retryable) {
	}

}
