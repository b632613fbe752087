package io.makegood.audience;

import java.math.BigDecimal;

import io.makegood.incident.IncidentSpec.Guard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlastRadiusGuardTest {

	@Test
	void expectedWithTolerance() {
		Guard guard = new Guard(120000L, BigDecimal.TEN, 500000L);
		assertThat(BlastRadiusGuard.refusal(guard, 120000, 10000)).isEmpty();
		assertThat(BlastRadiusGuard.refusal(guard, 108000, 10000)).isEmpty();
		assertThat(BlastRadiusGuard.refusal(guard, 132000, 10000)).isEmpty();
		assertThat(BlastRadiusGuard.refusal(guard, 360000, 10000)).get()
			.asString()
			.contains("360000", "120000", "108000..132000");
		assertThat(BlastRadiusGuard.refusal(guard, 600000, 10000)).get().asString().contains("guard.max 500000");
	}

	@Test
	void largeAudiencesMustStateExpected() {
		assertThat(BlastRadiusGuard.refusal(Guard.none(), 10000, 10000)).isEmpty();
		assertThat(BlastRadiusGuard.refusal(Guard.none(), 10001, 10000)).get().asString().contains("guard.expected");
	}

	@Test
	void planHashChangesWithSpecOrAudience() {
		String hash = PlanHash.of("id: a", "3:abc");
		assertThat(hash).hasSize(16).isEqualTo(PlanHash.of("id: a", "3:abc"));
		assertThat(PlanHash.of("id: b", "3:abc")).isNotEqualTo(hash);
		assertThat(PlanHash.of("id: a", "4:abd")).isNotEqualTo(hash);
	}

}
