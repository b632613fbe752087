package io.makegood.credit;

import java.nio.charset.StandardCharsets;

/**
 * A credit's idempotency key, {@code <incident>/<account>} (the billing CSV's {@code idempotency_key}), and its
 * form in the {@code Idempotency-Key} header.
 * <p>
 * A header carries bytes that HTTP reads as ISO-8859-1: Java's HttpClient refuses a character beyond it, and
 * would send one within it (é) as a Latin-1 byte, while the CSV and the JSON body are UTF-8. Account ids may hold
 * any character, so the header carries the key's UTF-8 bytes percent-encoded: every byte outside printable ASCII
 * (0x20 to 0x7E), and {@code %} itself, becomes {@code %XX} with upper-case hex digits. Percent-decoding it (not
 * form-decoding: {@code +} stays {@code +}) and reading the bytes as UTF-8 gives the key back exactly. A key of
 * printable ASCII without {@code %} is sent unchanged, as before, so billing's record of earlier posts still
 * matches it.
 */
public final class IdempotencyKey {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private IdempotencyKey() {
	}

	public static String of(String incidentId, String accountId) {
		return incidentId + "/" + accountId;
	}

	public static String header(String key) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		StringBuilder header = new StringBuilder(bytes.length);
		for (byte b : bytes) {
			int unsigned = b & 0xFF;
			if (unsigned >= 0x20 && unsigned <= 0x7E && unsigned != '%') {
				header.append((char) unsigned);
			}
			else {
				header.append('%').append(HEX[unsigned >> 4]).append(HEX[unsigned & 0x0F]);
			}
		}
		return header.toString();
	}

}
