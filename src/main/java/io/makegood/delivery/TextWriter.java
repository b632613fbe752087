package io.makegood.delivery;

import java.io.Writer;

/** A Writer into a StringBuilder: StringWriter synchronizes every append on a StringBuffer grown from 16 chars. */
final class TextWriter extends Writer {

	private final StringBuilder text;

	TextWriter(int capacity) {
		this.text = new StringBuilder(capacity);
	}

	@Override
	public void write(int c) {
		this.text.append((char) c);
	}

	@Override
	public void write(char[] chars, int offset, int length) {
		this.text.append(chars, offset, length);
	}

	@Override
	public void write(String value) {
		this.text.append(value);
	}

	@Override
	public void write(String value, int offset, int length) {
		this.text.append(value, offset, offset + length);
	}

	@Override
	public Writer append(CharSequence value) {
		this.text.append(value);
		return this;
	}

	@Override
	public Writer append(CharSequence value, int start, int end) {
		this.text.append(value, start, end);
		return this;
	}

	@Override
	public Writer append(char c) {
		this.text.append(c);
		return this;
	}

	@Override
	public void flush() {
	}

	@Override
	public void close() {
	}

	int length() {
		return this.text.length();
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

}
