package io.makegood.credit;

import io.makegood.audience.SnapshotAccount;

/** An account of the snapshot with the credit the incident's policy gives it. */
public record GrantedCredit(SnapshotAccount account, Credit credit) {
}
