package io.makegood.audience;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

import io.makegood.incident.IncidentSpec.Guard;

/**
 * Decides whether a frozen audience is within the limits its spec declares. A mailer that cannot tell "the
 * 200 Roku users" from "everyone" is how a reminder reaches a whole customer base; the numbers in the refusal
 * tell the operator which of the two the query produced.
 */
public final class BlastRadiusGuard {

	private BlastRadiusGuard() {
	}

	/**
	 * @param size accepted accounts in the frozen audience
	 * @param requireExpectedAbove audiences larger than this need {@code guard.expected}
	 * @return why the run must not proceed, or empty when it may
	 */
	public static Optional<String> refusal(Guard guard, long size, long requireExpectedAbove) {
		if (guard.max() != null && size > guard.max()) {
			return Optional.of("the frozen audience has " + size + " accounts, above guard.max " + guard.max());
		}
		if (guard.expected() == null) {
			if (size > requireExpectedAbove) {
				return Optional.of("the frozen audience has " + size + " accounts, more than "
						+ requireExpectedAbove + "; a spec for an audience this large must state guard.expected");
			}
			return Optional.empty();
		}
		long expected = guard.expected();
		BigDecimal tolerance = guard.tolerancePercent() == null ? BigDecimal.ZERO : guard.tolerancePercent();
		long slack = BigDecimal.valueOf(expected).multiply(tolerance).divide(BigDecimal.valueOf(100), 0,
				RoundingMode.FLOOR).longValueExact();
		long low = expected - slack;
		long high = expected + slack;
		if (size < low || size > high) {
			return Optional.of("the frozen audience has " + size + " accounts, outside guard.expected " + expected
					+ " ± " + tolerance.stripTrailingZeros().toPlainString() + "% (" + low + ".." + high + ")");
		}
		return Optional.empty();
	}

}
