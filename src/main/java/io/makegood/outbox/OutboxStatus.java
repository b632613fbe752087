package io.makegood.outbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life of one outgoing message. A row is committed as SENDING before it reaches the transport, so a crash
 * can never make it look unsent: SENDING rows found by a later run become IN_DOUBT, never PENDING.
 * <p>
 * SUPPRESSED: never sent, and never will be: its address is suppressed, or what it would say no longer held when
 * it was rendered (a reminder whose recipient has nothing left to claim).
 * <p>
 * CAPPED: held by the cross-incident frequency cap (the account already got a recovery message in the cap's
 * period). Neither final nor sendable: {@code release-capped} turns it back into PENDING once the cap allows.
 */
public enum OutboxStatus {

	PENDING, SENDING, SENT, FAILED, SUPPRESSED, IN_DOUBT, RETRY, CAPPED;

	public static final Set<OutboxStatus> FINAL = EnumSet.of(SENT, FAILED, SUPPRESSED, IN_DOUBT);

	public static final Set<OutboxStatus> SENDABLE = EnumSet.of(PENDING, RETRY);

	/** Waiting for something other than the mail server (the frequency cap); reported, never dropped. */
	public static final Set<OutboxStatus> HELD = EnumSet.of(CAPPED);

}
