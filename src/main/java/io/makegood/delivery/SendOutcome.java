package io.makegood.delivery;

import java.util.Objects;

/**
 * What happened to one message.
 *
 * @param reply the server's reply or a short description of the failure; never contains the recipient address
 */
public record SendOutcome(Kind kind, String reply) {

	public enum Kind {

		/** The server took responsibility for the message. */
		ACCEPTED,
		/** Not sent; trying again later may work (4xx, connection refused, dropped before the data was complete). */
		TRANSIENT,
		/** Not sent and never will be as addressed (5xx). */
		PERMANENT,
		/**
		 * The whole message reached the server but its verdict did not reach us: it may or may not be delivered.
		 * Retrying risks a duplicate, so a person decides.
		 */
		IN_DOUBT

	}

	public SendOutcome {
		Objects.requireNonNull(kind, "kind");
	}

	public static SendOutcome accepted(String reply) {
		return new SendOutcome(Kind.ACCEPTED, reply);
	}

	public static SendOutcome transientFailure(String reply) {
		return new SendOutcome(Kind.TRANSIENT, reply);
	}

	public static SendOutcome permanentFailure(String reply) {
		return new SendOutcome(Kind.PERMANENT, reply);
	}

	public static SendOutcome inDoubt(String reply) {
		return new SendOutcome(Kind.IN_DOUBT, reply);
	}

	public boolean isAccepted() {
		return this.kind == Kind.ACCEPTED;
	}

}
