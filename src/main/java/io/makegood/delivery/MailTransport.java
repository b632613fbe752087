package io.makegood.delivery;

/**
 * Where rendered messages go. A transport hands out sessions; each session is used by one thread at a time and
 * keeps its connection open across messages, which is where most of the speed comes from.
 */
public interface MailTransport extends AutoCloseable {

	TransportSession openSession();

	@Override
	default void close() {
	}

}
