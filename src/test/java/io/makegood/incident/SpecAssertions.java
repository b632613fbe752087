package io.makegood.incident;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

final class SpecAssertions {

	private SpecAssertions() {
	}

	static List<SpecProblem> problems(String yaml, Path baseDir) {
		InvalidSpecException ex = catchThrowableOfType(InvalidSpecException.class,
				() -> new IncidentSpecParser().parse(yaml, baseDir));
		assertThat(ex).as("spec should be refused:\n%s", yaml).isNotNull();
		return ex.problems();
	}

	static void assertProblem(String yaml, Path baseDir, String field, String fragment) {
		assertThat(problems(yaml, baseDir)).anySatisfy((problem) -> {
			assertThat(problem.field()).isEqualTo(field);
			assertThat(problem.problem()).contains(fragment);
		});
	}

}
