package io.makegood.delivery;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottleTest {

	@Test
	void holdsToTheConfiguredRate() throws InterruptedException {
		Throttle throttle = Throttle.perSecond(20);

		long start = System.nanoTime();
		for (int i = 0; i < 40; i++) {
			throttle.acquire();
		}
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		assertThat(millis).isBetween(1500L, 3000L);
	}

	@Test
	void unlimitedNeverWaits() throws InterruptedException {
		Throttle throttle = Throttle.unlimited();

		long start = System.nanoTime();
		for (int i = 0; i < 100_000; i++) {
			throttle.acquire();
		}

		assertThat(throttle.isUnlimited()).isTrue();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
	}

	@Test
	void waitingCanBeInterrupted() throws InterruptedException {
		Throttle throttle = Throttle.perSecond(0.1);
		throttle.acquire();
		AtomicBoolean interrupted = new AtomicBoolean();
		CountDownLatch done = new CountDownLatch(1);
		Thread waiter = new Thread(() -> {
			try {
				throttle.acquire();
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			done.countDown();
		});
		waiter.start();
		Thread.sleep(100);
		waiter.interrupt();

		assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isTrue();
	}

	@Test
	void refusesNonsenseRates() {
		assertThatThrownBy(() -> Throttle.perSecond(0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Throttle.perSecond(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
	}

}
