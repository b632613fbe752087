package io.makegood.delivery;

import java.nio.charset.StandardCharsets;

/**
 * The original byte-at-a-time encoder, kept as the specification {@link QuotedPrintable} must match byte for byte.
 * <p>
 * RFC 2045 quoted-printable for UTF-8 text bodies. Any of CRLF, LF or CR in the input becomes a hard CRLF line
 * break; encoded lines never exceed 76 characters. A leading '.' and a leading "From " are encoded too, so no
 * relay ever needs to dot-stuff or mangle the body.
 */
final class ReferenceQuotedPrintable {

	static final int MAX_LINE = 76;

	private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

	private ReferenceQuotedPrintable() {
	}

	static void encode(String text, ByteSink out) {
		byte[] in = text.getBytes(StandardCharsets.UTF_8);
		int column = 0;
		for (int i = 0; i < in.length; i++) {
			int b = in[i] & 0xFF;
			if (b == '\r' || b == '\n') {
				if (b == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
					i++;
				}
				out.crlf();
				column = 0;
				continue;
			}
			boolean literal = needsNoEncoding(b, in, i, column);
			int width = literal ? 1 : 3;
			// leave room for the '=' of a soft line break
			if (column + width > MAX_LINE - 1 && !fitsBeforeLineEnd(in, i, column, width)) {
				out.write('=');
				out.crlf();
				column = 0;
				literal = needsNoEncoding(b, in, i, column);
				width = literal ? 1 : 3;
			}
			if (literal) {
				out.write(b);
			}
			else {
				out.write('=');
				out.write(HEX[b >>> 4]);
				out.write(HEX[b & 0x0F]);
			}
			column += width;
		}
	}

	// The last token of a line may use column 76 itself, since no soft break follows it.
	private static boolean fitsBeforeLineEnd(byte[] in, int i, int column, int width) {
		return column + width <= MAX_LINE && isLineEnd(in, i + 1);
	}

	private static boolean needsNoEncoding(int b, byte[] in, int i, int column) {
		if (b == ' ' || b == '\t') {
			// trailing whitespace would be stripped in transit
			return !isLineEnd(in, i + 1);
		}
		if (b < 33 || b > 126 || b == '=') {
			return false;
		}
		if (column == 0) {
			if (b == '.') {
				return false;
			}
			if (b == 'F' && startsWith(in, i, "From ")) {
				return false;
			}
		}
		return true;
	}

	private static boolean isLineEnd(byte[] in, int i) {
		return i >= in.length || in[i] == '\r' || in[i] == '\n';
	}

	private static boolean startsWith(byte[] in, int i, String prefix) {
		if (i + prefix.length() > in.length) {
			return false;
		}
		for (int k = 0; k < prefix.length(); k++) {
			if (in[i + k] != prefix.charAt(k)) {
				return false;
			}
		}
		return true;
	}

}
