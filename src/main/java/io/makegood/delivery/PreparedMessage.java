package io.makegood.delivery;

/**
 * A rendered message ready for the transport; or the reason it could not be rendered (the row then ends FAILED
 * with that reason instead of disappearing); or the reason it must not be sent after all, because what it would
 * say no longer holds by the time it is rendered (the row then ends SUPPRESSED with that reason).
 */
public record PreparedMessage(String accountId, OutgoingMessage message, String renderError, String suppression) {

	public static PreparedMessage of(OutgoingMessage message) {
		return new PreparedMessage(message.accountId(), message, null, null);
	}

	public static PreparedMessage failed(String accountId, String renderError) {
		return new PreparedMessage(accountId, null, renderError, null);
	}

	/** E.g. a reminder whose recipient claimed meanwhile: nothing goes out, and the report says why. */
	public static PreparedMessage suppressed(String accountId, String reason) {
		return new PreparedMessage(accountId, null, null, reason);
	}

}
