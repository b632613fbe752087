package io.makegood.audience;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code <size>:<hash>} of an audience, the part of a plan hash an approver signs off besides the spec. Per
 * account it covers what decides where its message goes and what it is credited: the account id, the address
 * key (which also groups accounts sharing an address into one message), the currency and the monthly fee, the
 * only row values a compensation policy reads. An approved plan then cannot turn into other amounts or other
 * recipients by an edit of the source data between preview and run.
 * <p>
 * Values are normalized before they are hashed, so that unchanged data gives the same fingerprint whatever the
 * database hands back: a fee of 15.49 and 15.490000 (a numeric column's scale) are one fee, and a currency is
 * read as the policies read it (" eur" padded by a char column is EUR). Addresses only ever enter the digest.
 */
final class AudienceFingerprint {

	/** Marks a missing value; a present one starts with its length, a digit, so the two cannot be confused. */
	private static final byte[] ABSENT = { '-' };

	private final MessageDigest digest = sha256();

	private long size;

	/** Accounts must come in account-id order, the same order for the preview and the run. */
	void add(String accountId, String emailKey, String currency, BigDecimal monthlyFee) {
		field(accountId);
		field(emailKey);
		field(currency == null ? null : currency.strip().toUpperCase(Locale.ROOT));
		field(monthlyFee == null ? null : monthlyFee.stripTrailingZeros().toPlainString());
		size++;
	}

	String value() {
		return size + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 32);
	}

	/** Length-prefixed, so no value (an account id with a tab or colon in it) can pass for two others. */
	private void field(String value) {
		if (value == null) {
			digest.update(ABSENT);
			return;
		}
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
		digest.update(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
