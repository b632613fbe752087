package io.makegood.audience;

import io.makegood.incident.SpecHash;

/**
 * What an approver signs off: the exact spec text and the exact audience (its size plus a hash of its account
 * ids). Any edit to either gives a different hash, so an approval cannot be reused for a changed plan.
 */
public final class PlanHash {

	private PlanHash() {
	}

	/**
	 * @param specText the spec as registered
	 * @param audienceFingerprint {@code <size>:<hash of account ids>}, as {@link AudienceSnapshot} computes it
	 * @return 16 lower-case hex digits, short enough to type into a command line
	 */
	public static String of(String specText, String audienceFingerprint) {
		return SpecHash.sha256(SpecHash.sha256(specText) + "\n" + audienceFingerprint).substring(0, 16);
	}

}
