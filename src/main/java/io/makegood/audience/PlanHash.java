package io.makegood.audience;

import io.makegood.incident.SpecHash;

/**
 * What an approver signs off: the exact spec text and the exact audience, down to each account's address key,
 * currency and monthly fee (see {@link AudienceFingerprint}). Any edit to either gives a different hash, so an
 * approval cannot be reused for a plan that would credit other amounts or mail other addresses.
 */
public final class PlanHash {

	private PlanHash() {
	}

	/**
	 * @param specText the spec as registered
	 * @param audienceFingerprint {@code <size>:<hash>}, as {@link AudienceSnapshot#fingerprint} computes it
	 * @return 16 lower-case hex digits, short enough to type into a command line
	 */
	public static String of(String specText, String audienceFingerprint) {
		return SpecHash.sha256(SpecHash.sha256(specText) + "\n" + audienceFingerprint).substring(0, 16);
	}

}
