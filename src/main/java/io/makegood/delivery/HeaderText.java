package io.makegood.delivery;

import java.util.Arrays;
import java.util.Base64;

/**
 * RFC 2047 / RFC 5322 header text, written directly: MimeUtility.encodeText costs tens of microseconds per call,
 * more than composing the rest of the message. Output is folded so no line exceeds 76 characters unless a single
 * ASCII word is longer, in which case it is encoded too and split.
 */
final class HeaderText {

	private static final int MAX_LINE = 76;

	// "=?UTF-8?B?" + "?=" leaves 63 characters of a 75-character encoded-word; 45 bytes encode to 60
	private static final int MAX_BYTES_PER_WORD = 45;

	private static final String FOLD = "\r\n ";

	private HeaderText() {
	}

	/** Unstructured text (Subject, custom headers), after a header name taking {@code used} characters. */
	static String unstructured(String value, int used) {
		if (isPrintableAscii(value) && !value.contains("=?") && longestWord(value) + used <= MAX_LINE) {
			return foldAscii(value, used);
		}
		return encodedWords(value, used);
	}

	/** A display name as an RFC 5322 phrase: atoms as they are, a quoted string, or encoded-words. */
	static String phrase(String name, int used) {
		if (!isPrintableAscii(name) || name.length() + used > MAX_LINE - 2) {
			return encodedWords(name, used);
		}
		for (int i = 0; i < name.length(); i++) {
			if (!isAtext(name.charAt(i)) && name.charAt(i) != ' ') {
				return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
			}
		}
		return name;
	}

	static String encodedWords(String value, int used) {
		StringBuilder out = new StringBuilder(value.length() * 2);
		Base64.Encoder base64 = Base64.getEncoder();
		byte[] chunk = new byte[MAX_BYTES_PER_WORD];
		int length = 0;
		int column = used;
		// the first word shares its line with the header name
		int budget = Math.max(3, Math.min(MAX_BYTES_PER_WORD, (MAX_LINE - used - 12) / 4 * 3));
		int i = 0;
		while (i < value.length()) {
			int codePoint = value.codePointAt(i);
			// a character's bytes never straddle two encoded-words (RFC 2047 section 5)
			if (length + utf8Length(codePoint) > budget) {
				column = appendWord(out, base64, chunk, length, column);
				length = 0;
				budget = MAX_BYTES_PER_WORD;
			}
			length = putUtf8(chunk, length, codePoint);
			i += Character.charCount(codePoint);
		}
		if (length > 0 || out.length() == 0) {
			appendWord(out, base64, chunk, length, column);
		}
		return out.toString();
	}

	/** A mailbox: phrase and angle address, folded before the address when the line would run long. */
	static String mailbox(String name, String address, int used) {
		if (name == null) {
			return address;
		}
		String phrase = phrase(name, used);
		int lastBreak = phrase.lastIndexOf('\n');
		int column = (lastBreak < 0) ? used + phrase.length() : phrase.length() - lastBreak - 1;
		String separator = (column + address.length() + 3 > MAX_LINE) ? FOLD : " ";
		return phrase + separator + "<" + address + ">";
	}

	private static int utf8Length(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

	private static int putUtf8(byte[] out, int at, int codePoint) {
		if (Character.isSurrogate((char) codePoint) && codePoint < 0x10000) {
			// an unpaired surrogate cannot be encoded; UTF-8 encoders substitute '?' as well
			codePoint = '?';
		}
		switch (utf8Length(codePoint)) {
			case 1 -> out[at++] = (byte) codePoint;
			case 2 -> {
				out[at++] = (byte) (0xC0 | (codePoint >> 6));
				out[at++] = (byte) (0x80 | (codePoint & 0x3F));
			}
			case 3 -> {
				out[at++] = (byte) (0xE0 | (codePoint >> 12));
				out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
				out[at++] = (byte) (0x80 | (codePoint & 0x3F));
			}
			default -> {
				out[at++] = (byte) (0xF0 | (codePoint >> 18));
				out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
				out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
				out[at++] = (byte) (0x80 | (codePoint & 0x3F));
			}
		}
		return at;
	}

	private static int appendWord(StringBuilder out, Base64.Encoder base64, byte[] chunk, int length, int column) {
		String word = "=?UTF-8?B?" + base64.encodeToString(Arrays.copyOf(chunk, length)) + "?=";
		if (out.length() > 0) {
			// adjacent encoded-words separated only by folding whitespace decode without a space between them
			if (column + 1 + word.length() > MAX_LINE) {
				out.append(FOLD);
				column = 1;
			}
			else {
				out.append(' ');
				column++;
			}
		}
		out.append(word);
		return column + word.length();
	}

	private static String foldAscii(String value, int used) {
		if (value.length() + used <= MAX_LINE) {
			return value;
		}
		StringBuilder out = new StringBuilder(value.length() + 8);
		int column = used;
		int start = 0;
		while (start < value.length()) {
			int space = value.indexOf(' ', start + 1);
			int end = (space < 0) ? value.length() : space;
			int wordLength = end - start;
			if (column + wordLength > MAX_LINE && start > 0 && value.charAt(start) == ' ') {
				// fold before the space: the space becomes the continuation line's leading whitespace
				out.append("\r\n");
				column = 0;
			}
			out.append(value, start, end);
			column += wordLength;
			start = end;
		}
		return out.toString();
	}

	private static int longestWord(String value) {
		int longest = 0;
		int current = 0;
		for (int i = 0; i < value.length(); i++) {
			current = (value.charAt(i) == ' ') ? 0 : current + 1;
			longest = Math.max(longest, current);
		}
		return longest;
	}

	static boolean isPrintableAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 32 || c > 126) {
				return false;
			}
		}
		return true;
	}

	private static boolean isAtext(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
	}

}
