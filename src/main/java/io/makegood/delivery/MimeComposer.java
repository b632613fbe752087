package io.makegood.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Writes the RFC 5322 bytes of one multipart/alternative message directly, without building a MimeMessage tree:
 * tens of microseconds instead of milliseconds, which is what lets one job send thousands of messages a second.
 * <p>
 * Each message has exactly one recipient, in To; there is no Cc or Bcc, so no customer can ever see another. Any
 * header value with a line break is refused rather than cleaned, because it means the data is not what we
 * think it is.
 */
public final class MimeComposer {

	public static final String INCIDENT_HEADER = "X-Makegood-Incident";

	private static final DateTimeFormatter RFC_5322_DATE = DateTimeFormatter
		.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	// fixed header text is kept as bytes, copied whole into each message
	private static final byte[] MIME_HEADERS = bytes("Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
			+ "Content-Type: multipart/alternative;\r\n\tboundary=\"");

	private static final byte[] TEXT_PART = partHeaders("text/plain");

	private static final byte[] HTML_PART = partHeaders("text/html");

	private final byte[] fromHeader;

	private final byte[] replyToHeader;

	private final Clock clock;

	// Headers that usually repeat from one message to the next, kept as last seen: formatting a date or folding
	// a subject costs more than comparing. Each is one immutable pair, so sharing it between threads is safe.
	private volatile Line lastDate = new Line(Long.MIN_VALUE, null);

	private volatile Text lastSubject = new Text(null, null);

	private volatile Text lastIncident = new Text(null, null);

	/**
	 * @param from RFC 5322 mailbox, e.g. {@code "Example Streaming <care@example.com>"}
	 * @param replyTo optional mailbox; null for none
	 */
	public MimeComposer(String from, String replyTo, Clock clock) {
		this.fromHeader = bytes(header("From", mailbox(from, "From")));
		this.replyToHeader = (replyTo == null || replyTo.isBlank()) ? null
				: bytes(header("Reply-To", mailbox(replyTo, "Reply-To")));
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	public MimeComposer(String from, String replyTo) {
		this(from, replyTo, Clock.systemUTC());
	}

	/**
	 * @param incidentId goes into the {@value #INCIDENT_HEADER} header
	 * @param messageId e.g. from {@link MessageIds#of}, angle brackets included
	 * @param recipient a single bare address
	 * @param recipientName optional display name; encoded as needed, null for none
	 * @return the message with CRLF line endings, ready for SMTP DATA or a pickup directory
	 */
	public byte[] compose(String incidentId, String messageId, String recipient, String recipientName,
			RenderedMessage message) {
		rejectLineBreaks("incident id", incidentId);
		rejectLineBreaks("Message-ID", messageId);
		if (!isMessageId(messageId)) {
			throw new IllegalArgumentException("Not a Message-ID: " + messageId);
		}
		String subject = Objects.requireNonNull(message.subject(), "subject");
		rejectLineBreaks("subject", subject);
		String to = header("To", recipientMailbox(recipient, recipientName));

		String text = (message.text() != null) ? message.text() : "";
		String html = (message.html() != null) ? message.html() : "";
		ByteSink out = new ByteSink(1024 + (text.length() + html.length()) * 5 / 4);
		out.write(dateHeader());
		out.write(this.fromHeader);
		out.ascii(to);
		if (this.replyToHeader != null) {
			out.write(this.replyToHeader);
		}
		out.write(subjectHeader(subject));
		out.ascii("Message-ID: ");
		out.ascii(messageId);
		out.crlf();
		out.write(incidentHeader(incidentId));
		out.write(MIME_HEADERS);
		String boundary = boundary(messageId);
		out.ascii(boundary);
		out.ascii("\"\r\n\r\n");
		byte[] delimiter = bytes("--" + boundary);
		part(out, delimiter, TEXT_PART, text);
		part(out, delimiter, HTML_PART, html);
		out.write(delimiter);
		out.ascii("--\r\n");
		return out.toByteArray();
	}

	private byte[] dateHeader() {
		long second = Math.floorDiv(this.clock.millis(), 1000);
		Line last = this.lastDate;
		if (last.second() != second) {
			last = new Line(second, bytes("Date: " + RFC_5322_DATE.format(Instant.ofEpochSecond(second)) + "\r\n"));
			this.lastDate = last;
		}
		return last.header();
	}

	private byte[] subjectHeader(String subject) {
		Text last = this.lastSubject;
		if (!subject.equals(last.value())) {
			last = new Text(subject,
					bytes(header("Subject", HeaderText.unstructured(subject, "Subject: ".length()))));
			this.lastSubject = last;
		}
		return last.header();
	}

	private byte[] incidentHeader(String incidentId) {
		Text last = this.lastIncident;
		if (!incidentId.equals(last.value())) {
			last = new Text(incidentId,
					bytes(header(INCIDENT_HEADER, HeaderText.unstructured(incidentId, INCIDENT_HEADER.length() + 2))));
			this.lastIncident = last;
		}
		return last.header();
	}

	// What <[^<>\s@]+@[^<>\s@]+> matches, checked without a regex on every message.
	static boolean isMessageId(String value) {
		int length = value.length();
		if (length < 5 || value.charAt(0) != '<' || value.charAt(length - 1) != '>') {
			return false;
		}
		int at = -1;
		for (int i = 1; i < length - 1; i++) {
			char c = value.charAt(i);
			if (c == '@') {
				if (at >= 0) {
					return false;
				}
				at = i;
			}
			else if (c == '<' || c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f'
					|| c == '\r') {
				return false;
			}
		}
		return at > 1 && at < length - 2;
	}

	private static void part(ByteSink out, byte[] delimiter, byte[] headers, String body) {
		out.write(delimiter);
		out.write(headers);
		QuotedPrintable.encode(body, out);
		// the CRLF before a delimiter belongs to the delimiter, not to the body
		out.crlf();
	}

	// "=_" can never occur in quoted-printable output, so this boundary cannot collide with a body line.
	static String boundary(String messageId) {
		return "=_mg_" + MessageIds.sha256Hex(messageId, 24);
	}

	private static String recipientMailbox(String recipient, String recipientName) {
		rejectLineBreaks("recipient", recipient);
		if (recipientName != null) {
			rejectLineBreaks("recipient name", recipientName);
		}
		String name = (recipientName == null || recipientName.isBlank()) ? null : recipientName.strip();
		String address = recipient.strip();
		if (isPlainAddress(address)) {
			return HeaderText.mailbox(name, address, "To: ".length());
		}
		try {
			// the strict constructor refuses lists, groups and anything but exactly one address
			InternetAddress parsed = new InternetAddress(address, true);
			if (parsed.isGroup() || parsed.getPersonal() != null) {
				throw new IllegalArgumentException("Recipient must be one bare address");
			}
			return HeaderText.mailbox(name, parsed.getAddress(), "To: ".length());
		}
		catch (AddressException ex) {
			// the address itself stays out of the message: exceptions end up in logs
			throw new IllegalArgumentException("Recipient is not a single valid address", ex);
		}
	}

	/**
	 * The everyday address, dot-atom local part and host name: a strict subset of what the InternetAddress parser
	 * accepts unchanged, checked in one pass. Anything else still goes through the parser.
	 */
	static boolean isPlainAddress(String address) {
		int at = address.indexOf('@');
		if (at <= 0 || at == address.length() - 1) {
			return false;
		}
		char previous = '.';
		for (int i = 0; i < at; i++) {
			char c = address.charAt(i);
			if (c == '.') {
				if (previous == '.') {
					return false;
				}
			}
			else if (!isAtext(c)) {
				return false;
			}
			previous = c;
		}
		if (previous == '.') {
			return false;
		}
		previous = '.';
		for (int i = at + 1; i < address.length(); i++) {
			char c = address.charAt(i);
			if (c == '.' || c == '-') {
				// labels start and end with a letter or digit
				if (!isAlphanumeric(previous)) {
					return false;
				}
			}
			else if (!isAlphanumeric(c)) {
				return false;
			}
			previous = c;
		}
		return isAlphanumeric(previous);
	}

	private static boolean isAlphanumeric(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

	private static boolean isAtext(char c) {
		return isAlphanumeric(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
	}

	private static String mailbox(String value, String header) {
		Objects.requireNonNull(value, header);
		rejectLineBreaks(header, value);
		try {
			InternetAddress[] parsed = InternetAddress.parseHeader(value.strip(), true);
			if (parsed.length != 1 || parsed[0].isGroup()) {
				throw new IllegalArgumentException(header + " must be exactly one mailbox: " + value);
			}
			InternetAddress address = parsed[0];
			address.validate();
			return HeaderText.mailbox(address.getPersonal(), address.getAddress(), header.length() + 2);
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException(header + " is not a valid mailbox: " + value, ex);
		}
	}

	private static String header(String name, String value) {
		return name + ": " + value + "\r\n";
	}

	private record Line(long second, byte[] header) {
	}

	private record Text(String value, byte[] header) {
	}

	// the bytes ByteSink.ascii would write: ASCII as it is, anything else (RFC 6532) in UTF-8
	private static byte[] bytes(String header) {
		return header.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] partHeaders(String mediaType) {
		return bytes("\r\nContent-Type: " + mediaType
				+ "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
	}

	private static void rejectLineBreaks(String what, String value) {
		Objects.requireNonNull(value, what);
		if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
			throw new IllegalArgumentException(what + " contains a line break");
		}
	}

}
