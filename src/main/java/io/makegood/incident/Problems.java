package io.makegood.incident;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a spec is read, so one run reports all of them. */
final class Problems {

	private final List<SpecProblem> problems = new ArrayList<>();

	void add(String field, String problem) {
		problems.add(new SpecProblem(field.isEmpty() ? SpecYaml.DOCUMENT : field, problem));
	}

	boolean isEmpty() {
		return problems.isEmpty();
	}

	InvalidSpecException toException() {
		return new InvalidSpecException(problems);
	}

	void throwIfAny() {
		if (!problems.isEmpty()) {
			throw toException();
		}
	}

}
