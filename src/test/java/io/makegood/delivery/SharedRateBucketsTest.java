package io.makegood.delivery;

import java.util.Map;

import io.makegood.support.MigratedDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rates kept in PostgreSQL: what every process sending one incident shares, and what a later run changes. */
class SharedRateBucketsTest {

	final MigratedDatabase db = MigratedDatabase.postgres();

	@Test
	void aRunTakesTheRateItIsGivenEvenWhereAnEarlierRunLeftABucket() throws InterruptedException {
		SendRate earlier = new SendRate(1000, Map.of(), SharedRateBuckets.forIncident(db.dataSource(), "edited"));
		earlier.acquireGlobal();

		// the spec's rate was lowered between runs: 2/s is one permit now, then one every half second
		SendRate later = new SendRate(2, Map.of(), SharedRateBuckets.forIncident(db.dataSource(), "edited"));
		long start = System.nanoTime();
		for (int i = 0; i < 3; i++) {
			later.acquireGlobal();
		}

		assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
	}

	@Test
	void processesSendingOneIncidentShareEachDomainsRate() {
		Map<String, Double> domains = Map.of("example.org", 1.0);
		SendRate first = new SendRate(1000, domains, SharedRateBuckets.forIncident(db.dataSource(), "shared"));
		SendRate second = new SendRate(1000, domains, SharedRateBuckets.forIncident(db.dataSource(), "shared"));
		SendRate otherIncident = new SendRate(1000, domains, SharedRateBuckets.forIncident(db.dataSource(), "other"));

		assertThat(first.tryAcquireDomain("one@example.org")).isZero();
		// the one permit a second of example.org is spent, whichever process asks
		assertThat(second.tryAcquireDomain("two@example.org")).isGreaterThan(500_000_000L);
		assertThat(second.tryAcquireDomain("three@example.net")).isZero();
		assertThat(otherIncident.tryAcquireDomain("four@example.org")).isZero();
	}

	@Test
	void aDomainsRowFitsTheKeyColumnWhateverItsLength() {
		String incident = "i".repeat(200);

		assertThat(SharedRateBuckets.key(incident, "")).isEqualTo(incident);
		assertThat(SharedRateBuckets.key("outage", "gmail.com")).isEqualTo("outage|gmail.com");
		assertThat(SharedRateBuckets.key(incident, "gmail.com")).hasSizeLessThanOrEqualTo(SharedRateBuckets.KEY_LENGTH)
			.isNotEqualTo(SharedRateBuckets.key(incident, "yahoo.com"));
	}

}
