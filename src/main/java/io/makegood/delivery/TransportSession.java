package io.makegood.delivery;

/** One connection's worth of sending; not thread-safe. Failures are reported as outcomes, not exceptions. */
public interface TransportSession extends AutoCloseable {

	SendOutcome send(OutgoingMessage message);

	@Override
	void close();

}
