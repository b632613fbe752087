package io.makegood.incident;

import java.math.BigDecimal;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.incident.SpecAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

class GuardSpecTest {

	@TempDir
	Path dir;

	private final IncidentSpecParser parser = new IncidentSpecParser();

	@Test
	void readsGuardAndApproval() {
		IncidentSpec spec = parser.parse(SpecText.valid().yaml()
				+ "guard: { expected: 120000, tolerance: 10%, max: 500000 }\napproval: required\n", dir);
		assertThat(spec.guard().expected()).isEqualTo(120000L);
		assertThat(spec.guard().tolerancePercent()).isEqualByComparingTo(BigDecimal.TEN);
		assertThat(spec.guard().max()).isEqualTo(500000L);
		assertThat(spec.approvalRequired()).isTrue();
	}

	@Test
	void withoutGuardNothingIsLimitedBySpec() {
		IncidentSpec spec = parser.parse(SpecText.valid().yaml(), dir);
		assertThat(spec.guard()).isEqualTo(IncidentSpec.Guard.none());
		assertThat(spec.approvalRequired()).isFalse();
	}

	@Test
	void refusesBadGuardValues() {
		assertProblem(SpecText.valid().yaml() + "guard: { expected: 1.5 }\n", dir, "guard.expected", "whole number");
		assertProblem(SpecText.valid().yaml() + "guard: { expected: 99999999999999999999 }\n", dir, "guard.expected",
				"at most");
		assertProblem(SpecText.valid().yaml() + "guard: { expected: 10, tolerance: 150% }\n", dir, "guard.tolerance",
				"0% to 100%");
		assertProblem(SpecText.valid().yaml() + "guard: { expected: 10, max: 5 }\n", dir, "guard.max",
				"must not be below expected");
		assertProblem(SpecText.valid().yaml() + "approval: maybe\n", dir, "approval", "'required' or 'none'");
	}

}
