package io.makegood.credit;

public enum CreditStatus {

	/** Granted outright; billing applies it (automatic credits). */
	APPLIED,
	/** Waiting for the customer to claim it through the link. */
	CLAIMABLE, CLAIMED, EXPIRED, REVOKED

}
