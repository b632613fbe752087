package io.makegood.incident;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when an incident spec cannot be used; carries every problem found, not just the first. */
public class InvalidSpecException extends RuntimeException {

	private final List<SpecProblem> problems;

	public InvalidSpecException(List<SpecProblem> problems) {
		super(describe(problems));
		this.problems = List.copyOf(problems);
	}

	public List<SpecProblem> problems() {
		return problems;
	}

	private static String describe(List<SpecProblem> problems) {
		return problems.stream().map(SpecProblem::toString).collect(Collectors.joining("\n"));
	}

}
