package io.makegood.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Jakarta's SMTP provider, which keeps doing the connection (EHLO, STARTTLS, AUTH, timeouts), with one message
 * sent with its envelope as an RFC 2920 pipeline when the server offers PIPELINING: MAIL, RCPT and DATA in one
 * go, then the data through the provider's own stream. Two round trips per message instead of four; the provider
 * itself never pipelines. The provider's {@code data()} sends DATA and reads one reply; the replies to MAIL and
 * RCPT, which come first, are read on its way ({@link #readServerResponse}).
 * <p>
 * Failures are thrown as the provider would throw them, a {@link MessagingException} carrying the reply, so one
 * classification serves both paths.
 */
final class PipeliningSmtpTransport extends SMTPTransport {

	/** Settings that add parameters to MAIL FROM, which only the provider's own path writes. */
	private static final String[] ENVELOPE_EXTENSIONS = { "dsn.ret", "dsn.notify", "submitter", "mailextension",
			"allow8bitmime", "reportsuccess" };

	private final boolean envelopeExtended;

	private final CoalescingSocketFactory writes;

	/** Replies to pipelined commands still to be read before the reply the provider is waiting for. */
	private int envelopeRepliesDue;

	/** The replies to this message's MAIL and RCPT as read so far; null where the connection ended instead. */
	private final List<String> envelopeReplies = new ArrayList<>(2);

	/**
	 * @param writes the factory of this session's sockets, to send the envelope in one write; holding writes
	 * changes nothing on a connection it did not open (the operator configured a socket factory of their own)
	 */
	PipeliningSmtpTransport(Session session, String protocol, CoalescingSocketFactory writes) {
		super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
		boolean extended = Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8"));
		for (String extension : ENVELOPE_EXTENSIONS) {
			String value = session.getProperty("mail." + protocol + "." + extension);
			extended |= value != null && !value.isBlank() && !value.equals("false");
		}
		this.envelopeExtended = extended;
		this.writes = writes;
	}

	/** Whether {@link #sendPipelined} can carry this message on this connection. */
	boolean canPipeline(String envelopeFrom, String recipient) {
		return !this.envelopeExtended && supportsExtension("PIPELINING") && isPlainAddress(envelopeFrom)
				&& isPlainAddress(recipient);
	}

	/**
	 * @param written told once the whole message has been handed to the connection: from then on a lost reply
	 * means the message may have been delivered
	 */
	synchronized void sendPipelined(String envelopeFrom, String recipient, byte[] content, Runnable written)
			throws MessagingException {
		this.envelopeReplies.clear();
		queueEnvelope(envelopeFrom, recipient);
		OutputStream data;
		try {
			this.envelopeRepliesDue = 2;
			data = data();
		}
		catch (MessagingException ex) {
			throw envelopeFailure().orElse(ex);
		}
		finally {
			this.envelopeRepliesDue = 0;
		}
		MessagingException refused = envelopeFailure().orElse(null);
		if (refused != null) {
			// a server that answered 354 after refusing the envelope gets an empty message it will not deliver
			abortData();
			throw refused;
		}
		// the provider refuses a command with line breaks in it, so the data goes through its own stream
		try {
			data.write(content);
			data.flush();
			written.run();
			finishData();
		}
		catch (IOException ex) {
			throw new MessagingException("connection lost while sending the message", ex);
		}
	}

	private void queueEnvelope(String envelopeFrom, String recipient) throws MessagingException {
		this.writes.hold();
		boolean queued = false;
		try {
			sendCommand("MAIL FROM:<" + envelopeFrom + ">");
			sendCommand("RCPT TO:<" + recipient + ">");
			queued = true;
		}
		finally {
			if (queued) {
				this.writes.sendHeld();
			}
			else {
				this.writes.dropHeld();
			}
		}
	}

	/** The reply to MAIL or RCPT that refused the message, or the end of the connection in their place. */
	private Optional<MessagingException> envelopeFailure() {
		for (String reply : this.envelopeReplies) {
			if (reply == null) {
				String lost = "connection closed by the server: " + getLastServerResponse();
				return Optional.of(new MessagingException(lost));
			}
			if (!reply.startsWith("250") && !reply.startsWith("251")) {
				return Optional.of(new MessagingException(reply));
			}
		}
		return Optional.empty();
	}

	private void abortData() {
		try {
			finishData();
		}
		catch (IOException | MessagingException ex) {
			// the envelope's refusal is what the caller reports
		}
	}

	/**
	 * Reads the replies to a pipelined MAIL and RCPT before the reply the provider asked for, keeping them for
	 * {@link #sendPipelined}. A connection that ends on the way ends the read as the provider's own read would.
	 */
	@Override
	protected int readServerResponse() throws MessagingException {
		while (this.envelopeRepliesDue > 0) {
			this.envelopeRepliesDue--;
			int code = super.readServerResponse();
			this.envelopeReplies.add((code < 0) ? null : getLastServerResponse().strip());
			if (code < 0) {
				this.envelopeRepliesDue = 0;
				return code;
			}
		}
		return super.readServerResponse();
	}

	/** Printable ASCII without spaces or brackets: an address the envelope can carry as it is. */
	private static boolean isPlainAddress(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c > 0x7e || c < 0x21 || c == '<' || c == '>') {
				return false;
			}
		}
		return true;
	}

}
