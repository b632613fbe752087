package io.makegood.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Jakarta's SMTP provider, which keeps doing the connection (EHLO, STARTTLS, AUTH, timeouts), with one message
 * sent with its envelope as an RFC 2920 pipeline when the server offers PIPELINING: MAIL and RCPT in one go, then
 * DATA and the data through the provider's own stream. Three round trips per message instead of four; the
 * provider itself never pipelines. (DATA cannot join the pipeline: the provider hands out its data stream only
 * after reading the 354 to a DATA it sent itself.)
 * <p>
 * Failures are thrown as the provider would throw them, a {@link MessagingException} carrying the reply, so one
 * classification serves both paths.
 */
final class PipeliningSmtpTransport extends SMTPTransport {

	/** Settings that add parameters to MAIL FROM, which only the provider's own path writes. */
	private static final String[] ENVELOPE_EXTENSIONS = { "dsn.ret", "dsn.notify", "submitter", "mailextension",
			"allow8bitmime", "reportsuccess" };

	private final boolean envelopeExtended;

	PipeliningSmtpTransport(Session session, String protocol) {
		super(session, new URLName(protocol, null, -1, null, null, null), protocol, "smtps".equals(protocol));
		boolean extended = Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8"));
		for (String extension : ENVELOPE_EXTENSIONS) {
			String value = session.getProperty("mail." + protocol + "." + extension);
			extended |= value != null && !value.isBlank() && !value.equals("false");
		}
		this.envelopeExtended = extended;
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
		sendCommand("MAIL FROM:<" + envelopeFrom + ">");
		sendCommand("RCPT TO:<" + recipient + ">");
		String mail = reply();
		if (!mail.startsWith("250")) {
			skipReply();
			throw new MessagingException(mail);
		}
		String rcpt = reply();
		if (!rcpt.startsWith("250") && !rcpt.startsWith("251")) {
			throw new MessagingException(rcpt);
		}
		// the provider refuses a command with line breaks in it, so the data goes through its own stream
		try {
			OutputStream data = data();
			data.write(content);
			data.flush();
			written.run();
			finishData();
		}
		catch (IOException ex) {
			throw new MessagingException("connection lost while sending the message", ex);
		}
	}

	/** The next reply, whole; a connection that ends instead fails like the provider's own reads do. */
	private String reply() throws MessagingException {
		int code = readServerResponse();
		if (code < 0) {
			throw new MessagingException("connection closed by the server: " + getLastServerResponse());
		}
		return getLastServerResponse().strip();
	}

	/** Reads the reply to a pipelined command after an earlier one failed; a 421 may have closed the connection. */
	private void skipReply() {
		try {
			readServerResponse();
		}
		catch (MessagingException ex) {
			// the earlier reply is what the caller reports
		}
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
