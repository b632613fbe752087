package io.makegood.outbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life of one outgoing message. A row is committed as SENDING before it reaches the transport, so a crash
 * can never make it look unsent: SENDING rows found by a later run become IN_DOUBT, never PENDING.
 */
public enum OutboxStatus {

	PENDING, SENDING, SENT, FAILED, SUPPRESSED, IN_DOUBT, RETRY;

	public static final Set<OutboxStatus> FINAL = EnumSet.of(SENT, FAILED, SUPPRESSED, IN_DOUBT);

	public static final Set<OutboxStatus> SENDABLE = EnumSet.of(PENDING, RETRY);

}
