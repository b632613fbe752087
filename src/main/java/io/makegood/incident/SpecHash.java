package io.makegood.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fingerprint of a spec's text, stored with each run so a rerun can tell that the spec was edited. */
public final class SpecHash {

	private SpecHash() {
	}

	/** @return SHA-256 of the UTF-8 bytes of {@code text}, as 64 lower-case hex digits */
	public static String sha256(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime must provide SHA-256", ex);
		}
	}

}
