package io.makegood.outbox;

import io.makegood.audience.SnapshotAccount;
import io.makegood.credit.Credit;

/** A queued message with everything needed to render it: the frozen account and its credit. */
public record OutboxEntry(SnapshotAccount account, String recipient, String messageId, int attempts, Credit credit) {

	public String accountId() {
		return account.row().accountId();
	}

}
