package io.makegood.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Deterministic Message-IDs: a rerun of the same incident gives an account the same id, so a receiving system
 * (and a human reading headers) can recognise a duplicate for what it is.
 */
public final class MessageIds {

	private static final int HASH_HEX_CHARS = 32;

	private static final int MAX_INCIDENT_CHARS = 64;

	private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");

	private static final HexFormat HEX = HexFormat.of();

	// MessageDigest.getInstance walks the security providers on every call; a digest resets itself after digest()
	private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(MessageIds::newSha256);

	private MessageIds() {
	}

	/** e.g. {@code <3f0c…9a1e.outage-2026-11-28@mail.example.com>}. */
	public static String of(String incidentId, String accountId, String domain) {
		Objects.requireNonNull(incidentId, "incidentId");
		Objects.requireNonNull(accountId, "accountId");
		if (domain == null || !DOMAIN.matcher(domain).matches()) {
			throw new IllegalArgumentException("Not a usable Message-ID domain: " + domain);
		}
		String hash = sha256Hex(incidentId + "\n" + accountId, HASH_HEX_CHARS);
		return "<" + hash + "." + sanitize(incidentId) + "@" + domain + ">";
	}

	/** The domain of an RFC 5322 mailbox such as {@code "Care <care@example.com>"}; handy for {@link #of}. */
	public static String domainOf(String mailbox) {
		int at = mailbox.lastIndexOf('@');
		if (at < 0) {
			throw new IllegalArgumentException("Not an email address: " + mailbox);
		}
		String domain = mailbox.substring(at + 1);
		int end = domain.indexOf('>');
		return ((end >= 0) ? domain.substring(0, end) : domain).strip();
	}

	static String sha256Hex(String value) {
		return sha256Hex(value, 64);
	}

	/** The first {@code hexChars} (even, at most 64) hex digits of the SHA-256 of {@code value} in UTF-8. */
	static String sha256Hex(String value, int hexChars) {
		byte[] hash = SHA_256.get().digest(value.getBytes(StandardCharsets.UTF_8));
		return HEX.formatHex(hash, 0, hexChars / 2);
	}

	private static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	// dot-atom text only, so the id stays a valid msg-id whatever the incident is called
	private static String sanitize(String incidentId) {
		StringBuilder out = new StringBuilder(Math.min(incidentId.length(), MAX_INCIDENT_CHARS));
		for (int i = 0; i < incidentId.length() && out.length() < MAX_INCIDENT_CHARS; i++) {
			char c = incidentId.charAt(i);
			boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			out.append(safe ? c : '-');
		}
		return (out.length() > 0) ? out.toString() : "incident";
	}

}
