package io.makegood.delivery;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * Hands prebuilt bytes to a jakarta.mail Transport, which then only does the SMTP dialogue: no MIME tree is built
 * or serialised again. It also tells when the body was written completely, the line between "not sent" and
 * "maybe sent" when the connection breaks.
 */
final class RawMimeMessage extends MimeMessage {

	private final byte[] raw;

	private final Runnable written;

	RawMimeMessage(Session session, byte[] raw, Runnable written) {
		super(session);
		this.raw = raw;
		this.written = written;
	}

	@Override
	public void writeTo(OutputStream out) throws IOException {
		writeTo(out, null);
	}

	@Override
	public void writeTo(OutputStream out, String[] ignoreList) throws IOException {
		out.write(this.raw);
		this.written.run();
	}

}
