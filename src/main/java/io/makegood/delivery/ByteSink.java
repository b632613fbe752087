package io.makegood.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array without ByteArrayOutputStream's synchronisation and IOException plumbing. */
final class ByteSink {

	private byte[] bytes;

	private int size;

	ByteSink(int initialCapacity) {
		this.bytes = new byte[Math.max(initialCapacity, 64)];
	}

	void write(int b) {
		if (this.size == this.bytes.length) {
			grow(1);
		}
		this.bytes[this.size++] = (byte) b;
	}

	void write(byte[] source) {
		ensure(source.length);
		System.arraycopy(source, 0, this.bytes, this.size, source.length);
		this.size += source.length;
	}

	/** Appends header text; nearly always ASCII, with a UTF-8 fallback (RFC 6532) for anything else. */
	void ascii(String value) {
		int length = value.length();
		ensure(length);
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c > 127) {
				write(value.substring(i).getBytes(StandardCharsets.UTF_8));
				return;
			}
			this.bytes[this.size++] = (byte) c;
		}
	}

	void crlf() {
		ensure(2);
		this.bytes[this.size++] = '\r';
		this.bytes[this.size++] = '\n';
	}

	/**
	 * Room for {@code extra} more bytes, for a writer that fills the array itself from {@link #size()} on and
	 * then calls {@link #size(int)}; the array is only valid until the next call that may grow it.
	 */
	byte[] reserve(int extra) {
		ensure(extra);
		return this.bytes;
	}

	int size() {
		return this.size;
	}

	void size(int newSize) {
		if (newSize < this.size || newSize > this.bytes.length) {
			throw new IllegalArgumentException("size " + newSize + " outside " + this.size + ".." + this.bytes.length);
		}
		this.size = newSize;
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.bytes, this.size);
	}

	private void ensure(int extra) {
		if (this.size + extra > this.bytes.length) {
			grow(extra);
		}
	}

	private void grow(int extra) {
		this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + extra));
	}

}
