package io.makegood.incident;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a misspelt key into a hint, because "did you mean 'percent'?" fixes a spec faster than a list. */
final class KeySuggestion {

	private KeySuggestion() {
	}

	static String unknownField(String key, List<String> knownKeys) {
		return closest(key, knownKeys).map((known) -> "unknown field; did you mean '" + known + "'?")
			.orElseGet(() -> "unknown field; expected one of: " + String.join(", ", knownKeys));
	}

	static Optional<String> closest(String key, List<String> candidates) {
		String wanted = key.toLowerCase(Locale.ROOT);
		int tolerance = (wanted.length() <= 4) ? 1 : 2;
		return candidates.stream()
			.filter((candidate) -> distance(wanted, candidate.toLowerCase(Locale.ROOT)) <= tolerance)
			.min(Comparator.comparingInt((String candidate) -> distance(wanted, candidate.toLowerCase(Locale.ROOT))));
	}

	/** Levenshtein distance; keys are short, so the plain two-row algorithm is plenty. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
