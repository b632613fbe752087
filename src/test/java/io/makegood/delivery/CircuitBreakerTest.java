package io.makegood.delivery;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

	@Test
	void staysClosedBeforeTheMinimumNumberOfAttempts() {
		CircuitBreaker breaker = new CircuitBreaker(10, 5, 0.5);

		record(breaker, true, true, true, true);

		assertThat(breaker.isOpen()).isFalse();
		assertThat(breaker.describe()).isEqualTo("4 of the last 4 attempts failed");
	}

	@Test
	void opensWhenTheFailureRatioIsReachedAfterTheMinimum() {
		CircuitBreaker breaker = new CircuitBreaker(10, 4, 0.5);

		record(breaker, false, true, false);
		assertThat(breaker.isOpen()).isFalse();
		record(breaker, true);

		assertThat(breaker.isOpen()).isTrue();
		assertThat(breaker.describe()).isEqualTo("2 of the last 4 attempts failed");
	}

	@Test
	void staysClosedBelowTheRatio() {
		CircuitBreaker breaker = new CircuitBreaker(10, 4, 0.5);

		for (int i = 0; i < 30; i++) {
			record(breaker, false, false, true);
		}

		assertThat(breaker.isOpen()).isFalse();
	}

	@Test
	void theSlidingWindowForgetsOldFailures() {
		CircuitBreaker breaker = new CircuitBreaker(4, 4, 0.75);
		record(breaker, true, true, false, false);
		record(breaker, false, false);
		assertThat(breaker.describe()).isEqualTo("0 of the last 4 attempts failed");

		// two new failures are 2 of the last 4, although 4 of all 8 attempts failed
		record(breaker, true, true);
		assertThat(breaker.isOpen()).isFalse();
		assertThat(breaker.describe()).isEqualTo("2 of the last 4 attempts failed");

		record(breaker, true);
		assertThat(breaker.isOpen()).isTrue();
		assertThat(breaker.describe()).isEqualTo("3 of the last 4 attempts failed");
	}

	@Test
	void onceOpenItStaysOpen() {
		CircuitBreaker breaker = new CircuitBreaker(2, 2, 1.0);
		record(breaker, true, true);

		record(breaker, false, false, false);

		assertThat(breaker.isOpen()).isTrue();
	}

	private static void record(CircuitBreaker breaker, boolean... failures) {
		for (boolean failed : failures) {
			breaker.record(failed);
		}
	}

}
