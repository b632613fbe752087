package io.makegood.incident;

/**
 * One reason an incident spec was refused.
 *
 * @param field dotted path of the offending field, e.g. {@code compensation.percent}, or {@code (document)} when
 * the YAML as a whole is unusable
 * @param problem what is wrong, phrased so an operator can fix it without reading code
 */
public record SpecProblem(String field, String problem) {

	@Override
	public String toString() {
		return field + ": " + problem;
	}

}
