package io.makegood.delivery;

/**
 * A rendered message ready for the transport, or the reason it could not be rendered (the row then ends
 * FAILED with that reason instead of disappearing).
 */
public record PreparedMessage(String accountId, OutgoingMessage message, String renderError) {

	public static PreparedMessage of(OutgoingMessage message) {
		return new PreparedMessage(message.accountId(), message, null);
	}

	public static PreparedMessage failed(String accountId, String renderError) {
		return new PreparedMessage(accountId, null, renderError);
	}

}
