package io.makegood.delivery;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SendRateTest {

	@Test
	void slowingDownHalvesTheCeilingOncePerEpisodeAndSuccessRaisesItOnlyAfterAQuietSpell() {
		SendRate rate = SendRate.local(100, Map.of());

		rate.slowDown();
		rate.slowDown();
		rate.recordSuccess();

		assertThat(rate.current()).as("one episode, one halving").isEqualTo(50.0);
		assertThat(rate.configured()).isEqualTo(100.0);
	}

	@Test
	void neverSlowsBelowOneMessagePerSecond() throws InterruptedException {
		SendRate rate = SendRate.local(4, Map.of());

		for (int i = 0; i < 3; i++) {
			rate.slowDown();
			Thread.sleep(1010);
		}

		assertThat(rate.current()).isEqualTo(1.0);
	}

	@Test
	void anUnthrottledRunGetsACeilingOnceAServerAsksToSlowDown() {
		SendRate rate = SendRate.local(0, Map.of());

		rate.slowDown();

		assertThat(rate.current()).isPositive();
	}

	@Test
	void aDomainAtItsLimitSaysHowLongToWaitWithoutHoldingOtherDomains() throws InterruptedException {
		SendRate rate = SendRate.local(0, Map.of("slow.test", 10.0));

		assertThat(rate.tryAcquire("a@slow.test")).isZero();
		long wait = rate.tryAcquire("b@SLOW.test");

		assertThat(wait).isPositive();
		for (int i = 0; i < 50; i++) {
			assertThat(rate.tryAcquire("x" + i + "@fast.test")).isZero();
		}
	}

}
