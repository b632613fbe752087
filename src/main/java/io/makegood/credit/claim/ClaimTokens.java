package io.makegood.credit.claim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Claim tokens: 256 bits from a {@link SecureRandom}, URL-safe Base64 without padding (43 characters). Only the
 * SHA-256 of a token is stored. A salt would add nothing: a token has far too much entropy to guess or to look
 * up in a table, and the hash must be found by an indexed equality lookup.
 */
public final class ClaimTokens {

	static final int TOKEN_BYTES = 32;

	private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final SecureRandom random;

	public ClaimTokens() {
		this(new SecureRandom());
	}

	ClaimTokens(SecureRandom random) {
		this.random = random;
	}

	public String newToken() {
		byte[] bytes = new byte[TOKEN_BYTES];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** @return lower-case hex SHA-256 of the token, the only form in which it is stored */
	public static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/** Lets a path that cannot be a token be answered "unknown" without a database lookup. */
	public static boolean isWellFormed(String token) {
		return token != null && SHAPE.matcher(token).matches();
	}

}
