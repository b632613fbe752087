package io.makegood.delivery;

import java.nio.charset.StandardCharsets;

/**
 * RFC 2045 quoted-printable for UTF-8 text bodies. Any of CRLF, LF or CR in the input becomes a hard CRLF line
 * break; encoded lines never exceed 76 characters. A leading '.' and a leading "From " are encoded too, so no
 * relay ever needs to dot-stuff or mangle the body.
 * <p>
 * Encodes straight from the string's chars into the sink's array in one pass: no intermediate UTF-8 copy and no
 * per-byte method calls, since every message runs two bodies through here.
 */
final class QuotedPrintable {

	static final int MAX_LINE = 76;

	private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

	// the most one char can add: a soft break, then three encoded bytes (a surrogate pair adds four over two chars)
	private static final int MAX_PER_CHAR = 3 + 9;

	// printable ASCII but '=': literal anywhere except at the start of a line ('.' and "From ") or at its end
	private static final boolean[] PLAIN = new boolean[0x80];

	static {
		for (int c = 33; c <= 126; c++) {
			PLAIN[c] = c != '=';
		}
	}

	private QuotedPrintable() {
	}

	static void encode(String text, ByteSink out) {
		char[] chars = text.toCharArray();
		int length = chars.length;
		byte[] buffer = out.reserve(length + length / 8 + MAX_PER_CHAR);
		int pos = out.size();
		int column = 0;
		for (int i = 0; i < length; i++) {
			if (pos + MAX_LINE + 2 * MAX_PER_CHAR > buffer.length) {
				out.size(pos);
				buffer = out.reserve(length - i + (length - i) / 8 + MAX_LINE + 2 * MAX_PER_CHAR);
			}
			char c = chars[i];
			// the common case: a run of printable ASCII inside a line with room left, written as it is
			if (column > 0 && column < MAX_LINE - 1 && isPlain(chars, i)) {
				int end = Math.min(length, i + (MAX_LINE - 1 - column));
				int start = i;
				do {
					buffer[pos++] = (byte) chars[i++];
				}
				while (i < end && isPlain(chars, i));
				column += i - start;
				i--;
				continue;
			}
			if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < length && chars[i + 1] == '\n') {
					i++;
				}
				buffer[pos++] = '\r';
				buffer[pos++] = '\n';
				column = 0;
				continue;
			}
			if (c < 0x80 || (Character.isSurrogate(c) && !isPairAt(chars, i))) {
				// an unpaired surrogate has no UTF-8 form; String.getBytes substitutes '?' as well
				int b = (c < 0x80) ? c : '?';
				boolean nextIsLineEnd = isLineEnd(chars, i + 1);
				boolean literal = isLiteral(b, chars, i, column, nextIsLineEnd);
				int width = literal ? 1 : 3;
				// leave room for the '=' of a soft line break; the last token of a line may use column 76 itself
				if (column + width > MAX_LINE - 1 && !(column + width <= MAX_LINE && nextIsLineEnd)) {
					buffer[pos++] = '=';
					buffer[pos++] = '\r';
					buffer[pos++] = '\n';
					column = 0;
					literal = isLiteral(b, chars, i, column, nextIsLineEnd);
					width = literal ? 1 : 3;
				}
				if (literal) {
					buffer[pos++] = (byte) b;
				}
				else {
					pos = hex(buffer, pos, b);
				}
				column += width;
				continue;
			}
			int codePoint = c;
			if (Character.isHighSurrogate(c)) {
				codePoint = Character.toCodePoint(c, chars[++i]);
			}
			boolean lastIsLineEnd = isLineEnd(chars, i + 1);
			int bytes = (codePoint < 0x800) ? 2 : (codePoint < 0x10000) ? 3 : 4;
			for (int k = bytes - 1; k >= 0; k--) {
				int b = utf8Byte(codePoint, bytes, k);
				// a continuation byte follows every byte but the last, and it is never a line end
				if (column + 3 > MAX_LINE - 1 && !(column + 3 <= MAX_LINE && k == 0 && lastIsLineEnd)) {
					buffer[pos++] = '=';
					buffer[pos++] = '\r';
					buffer[pos++] = '\n';
					column = 0;
				}
				pos = hex(buffer, pos, b);
				column += 3;
			}
		}
		out.size(pos);
	}

	// Byte k of the code point's UTF-8 form, counting down from the first (k = bytes - 1) to the last (k = 0).
	private static int utf8Byte(int codePoint, int bytes, int k) {
		if (k == bytes - 1) {
			return switch (bytes) {
				case 2 -> 0xC0 | (codePoint >> 6);
				case 3 -> 0xE0 | (codePoint >> 12);
				default -> 0xF0 | (codePoint >> 18);
			};
		}
		return 0x80 | ((codePoint >> (6 * k)) & 0x3F);
	}

	private static int hex(byte[] buffer, int pos, int b) {
		buffer[pos] = '=';
		buffer[pos + 1] = HEX[b >>> 4];
		buffer[pos + 2] = HEX[b & 0x0F];
		return pos + 3;
	}

	private static boolean isLiteral(int b, char[] chars, int i, int column, boolean nextIsLineEnd) {
		if (b == ' ' || b == '\t') {
			// trailing whitespace would be stripped in transit
			return !nextIsLineEnd;
		}
		if (b < 33 || b > 126 || b == '=') {
			return false;
		}
		if (column == 0) {
			return b != '.' && !(b == 'F' && startsWithFromSpace(chars, i));
		}
		return true;
	}

	// Literal at any column but the first: printable ASCII but '=', or a space or tab that does not end its line.
	private static boolean isPlain(char[] chars, int i) {
		char c = chars[i];
		if (c < 0x80 && PLAIN[c]) {
			return true;
		}
		return (c == ' ' || c == '\t') && !isLineEnd(chars, i + 1);
	}

	private static boolean startsWithFromSpace(char[] chars, int i) {
		return i + 5 <= chars.length && chars[i] == 'F' && chars[i + 1] == 'r' && chars[i + 2] == 'o'
				&& chars[i + 3] == 'm' && chars[i + 4] == ' ';
	}

	private static boolean isPairAt(char[] chars, int i) {
		return Character.isHighSurrogate(chars[i]) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1]);
	}

	private static boolean isLineEnd(char[] chars, int i) {
		return i >= chars.length || chars[i] == '\r' || chars[i] == '\n';
	}

}
