package io.makegood.audience;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a producer on its own thread and hands what it makes to the calling thread through a short queue, so that
 * reading and checking an audience overlaps writing it to the database. The caller keeps the work that must stay
 * in its transaction. A failure on either side stops both, and the producer's is rethrown to the caller.
 */
final class HandOff {

	@FunctionalInterface
	interface Producer<T> {

		void produce(Consumer<T> handOver);

	}

	private static final Object END = new Object();

	private static final long POLL_MS = 100;

	private record Failure(Throwable cause) {
	}

	/** Thrown on the producer's thread once the caller no longer takes anything. */
	private static final class Abandoned extends RuntimeException {

		Abandoned() {
			super("the consumer stopped", null, false, false);
		}

	}

	private HandOff() {
	}

	/** @param capacity items made but not yet taken, which bounds the memory the hand-off holds */
	@SuppressWarnings("unchecked")
	static <T> void run(String threadName, int capacity, Producer<T> producer, Consumer<? super T> consumer) {
		BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
		AtomicBoolean abandoned = new AtomicBoolean();
		Thread thread = new Thread(() -> {
			Object last = END;
			try {
				producer.produce(item -> put(queue, item, abandoned));
			}
			catch (Abandoned ex) {
				return;
			}
			catch (Throwable ex) {
				last = new Failure(ex);
			}
			try {
				put(queue, last, abandoned);
			}
			catch (Abandoned ex) {
				// the caller failed first and reports its own failure
			}
		}, threadName);
		thread.setDaemon(true);
		thread.start();
		boolean drained = false;
		try {
			while (true) {
				Object item = queue.take();
				if (item == END) {
					drained = true;
					return;
				}
				if (item instanceof Failure failure) {
					drained = true;
					throw rethrown(failure.cause());
				}
				consumer.accept((T) item);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while " + threadName + " was handing over its work", ex);
		}
		finally {
			if (!drained) {
				abandoned.set(true);
				queue.clear();
			}
			awaitEnd(thread);
		}
	}

	private static void put(BlockingQueue<Object> queue, Object item, AtomicBoolean abandoned) {
		try {
			while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
				if (abandoned.get()) {
					throw new Abandoned();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Abandoned();
		}
	}

	private static RuntimeException rethrown(Throwable cause) {
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new IllegalStateException(cause);
	}

	/** The producer stops at its next hand-over once abandoned, so this waits at most for one read. */
	private static void awaitEnd(Thread thread) {
		boolean interrupted = false;
		while (thread.isAlive()) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
