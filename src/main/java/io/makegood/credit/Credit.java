package io.makegood.credit;

import java.time.Instant;

/**
 * What one account is given for one incident.
 *
 * @param amount null for complimentary items and message-only incidents
 * @param item the complimentary item, e.g. "one movie rental"; null otherwise
 * @param expiresAt null when the credit never expires
 */
public record Credit(CompensationKind kind, Money amount, String item, CreditStatus status, Instant expiresAt) {

	public boolean hasValue() {
		return kind != CompensationKind.NONE;
	}

}
