package io.makegood.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandOffTest {

	@Test
	void theCallerTakesEverythingInTheOrderItWasMade() {
		List<Integer> taken = new ArrayList<>();

		HandOff.<Integer>run("test-producer", 2, handOver -> {
			for (int i = 0; i < 1000; i++) {
				handOver.accept(i);
			}
		}, taken::add);

		assertThat(taken).hasSize(1000).isSorted().startsWith(0).endsWith(999);
	}

	@Test
	void theProducersWorkRunsOnItsOwnThread() {
		AtomicReference<String> producerThread = new AtomicReference<>();

		HandOff.<String>run("test-producer", 1, handOver -> producerThread.set(Thread.currentThread().getName()),
				item -> {
				});

		assertThat(producerThread).hasValue("test-producer");
	}

	@Test
	void aProducersFailureReachesTheCallerAfterWhatWasMadeBeforeIt() {
		List<Integer> taken = new ArrayList<>();

		assertThatThrownBy(() -> HandOff.<Integer>run("test-producer", 2, handOver -> {
			handOver.accept(1);
			throw new AudienceSourceException("the audience query failed");
		}, taken::add)).isInstanceOf(AudienceSourceException.class).hasMessage("the audience query failed");
		assertThat(taken).containsExactly(1);
	}

	@Test
	void aCallersFailureStopsTheProducer() {
		AtomicBoolean producerEnded = new AtomicBoolean();

		assertThatThrownBy(() -> HandOff.<Integer>run("test-producer", 2, handOver -> {
			try {
				for (int i = 0;; i++) {
					handOver.accept(i);
				}
			}
			finally {
				producerEnded.set(true);
			}
		}, item -> {
			if (item == 10) {
				throw new IllegalStateException("the insert failed");
			}
		})).hasMessage("the insert failed");
		assertThat(producerEnded).as("the producer ended before run returned").isTrue();
	}

}
