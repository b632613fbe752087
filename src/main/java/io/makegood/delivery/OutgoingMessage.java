package io.makegood.delivery;

import java.util.Objects;

/**
 * A message ready for the wire.
 *
 * @param envelopeFrom SMTP MAIL FROM (where bounces go); may differ from the From header
 * @param recipient the one SMTP RCPT TO address, the same as the To header
 * @param content RFC 5322 bytes with CRLF line endings, e.g. from {@link MimeComposer}
 */
public record OutgoingMessage(String incidentId, String accountId, String envelopeFrom, String recipient,
		String messageId, byte[] content) {

	public OutgoingMessage {
		Objects.requireNonNull(incidentId, "incidentId");
		Objects.requireNonNull(accountId, "accountId");
		Objects.requireNonNull(recipient, "recipient");
		Objects.requireNonNull(content, "content");
	}

	// the default record toString would print the recipient address and the whole body into logs
	@Override
	public String toString() {
		return "OutgoingMessage[incident=" + this.incidentId + ", account=" + this.accountId + ", messageId="
				+ this.messageId + ", " + this.content.length + " bytes]";
	}

}
