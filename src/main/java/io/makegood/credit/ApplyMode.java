package io.makegood.credit;

/** How a credit reaches the account: applied by billing, or claimed by the customer through a link. */
public enum ApplyMode {

	AUTOMATIC, CLAIM_LINK

}
