package io.makegood.delivery;

import io.makegood.credit.Credit;

/**
 * Issues the link that claims one account's credit while its message is being rendered. Issuing at render time
 * means the raw token only ever exists in memory and in the message that carries it.
 */
@FunctionalInterface
public interface ClaimUrls {

	/** For incidents whose credits are applied automatically. */
	ClaimUrls NONE = (accountId, credit) -> null;

	/** @return the account's claim link, or null when its credit has nothing to claim */
	String issue(String accountId, Credit credit);

}
