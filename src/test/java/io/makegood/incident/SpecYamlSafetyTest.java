package io.makegood.incident;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.incident.SpecAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SpecYamlSafetyTest {

	private static final String BILLION_LAUGHS = """
			a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
			b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
			c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
			d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
			e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
			f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
			g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
			h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
			i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
			""";

	@TempDir
	Path dir;

	@Test
	void refusesABillionLaughsQuickly() {
		List<SpecProblem> problems = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> problems(BILLION_LAUGHS,
				dir));

		assertThat(problems).containsExactly(new SpecProblem("(document)",
				"uses too many aliases (a YAML bomb?); anchors and aliases are not allowed in a spec"));
	}

	@Test
	void refusesABillionLaughsInAFileQuickly() throws Exception {
		Path file = Files.writeString(dir.resolve("bomb.yml"), BILLION_LAUGHS);

		assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> assertThatThrownBy(() -> new IncidentSpecParser().parse(file))
					.isInstanceOf(InvalidSpecException.class)
					.hasMessageContaining("(document): uses too many aliases"));
	}

	@Test
	void refusesScalarAliasesThatTheLoaderLimitDoesNotCount() {
		String yaml = SpecText.valid().with("title", "title: &t Streaming unavailable\nx-title: *t").yaml();

		assertThat(problems(yaml, dir)).contains(
				new SpecProblem("title", "anchors (&t) are not allowed in a spec"),
				new SpecProblem("x-title", "aliases are not allowed in a spec; write the value out"));
	}

	@Test
	void refusesASingleAliasOfASection() {
		String yaml = SpecText.valid()
			.with("compensation", "compensation: &c\n  kind: none\n")
			.with("delivery", "delivery: *c\n")
			.yaml();

		assertThat(problems(yaml, dir)).extracting(SpecProblem::field).contains("compensation", "delivery");
	}

	@Test
	void refusesMergeKeys() {
		String yaml = SpecText.valid().with("delivery", "defaults: &d { rate: 5/s }\ndelivery:\n  <<: *d\n").yaml();

		assertThat(problems(yaml, dir)).contains(new SpecProblem("delivery", "merge keys (<<) are not allowed in a spec"));
	}

	@Test
	void refusesDuplicateKeys() {
		String yaml = SpecText.valid()
			.with("compensation", "compensation:\n  kind: percent-of-fee\n  percent: 3\n  percent: 30\n")
			.yaml();

		assertThat(problems(yaml, dir)).containsExactly(new SpecProblem("compensation.percent", "duplicate key"));
	}

	@Test
	void refusesDuplicateTopLevelKeys() {
		String yaml = SpecText.valid().yaml() + "id: another-id\n";

		assertThat(problems(yaml, dir)).containsExactly(new SpecProblem("id", "duplicate key"));
	}

	@Test
	void refusesClassConstructingTags() {
		String yaml = "id: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n";

		assertThat(problems(yaml, dir)).singleElement().satisfies((problem) -> {
			assertThat(problem.field()).isEqualTo("(document)");
			assertThat(problem.problem()).contains("Global tag is not allowed");
		});
	}

	@Test
	void refusesLocalAndNonPlainTags() {
		String yaml = SpecText.valid().with("title", "title: !shout Streaming unavailable\nx: !!binary aGk=").yaml();

		assertThat(problems(yaml, dir)).contains(
				new SpecProblem("title", "tag !shout is not allowed; use plain YAML values"),
				new SpecProblem("x", "tag tag:yaml.org,2002:binary is not allowed; use plain YAML values"));
	}

	@Test
	void refusesNonTextKeys() {
		String yaml = SpecText.valid().yaml() + "? [a, b]\n: c\n";

		assertThat(problems(yaml, dir)).contains(new SpecProblem("(document)", "keys must be plain text, got a list"));
	}

	@Test
	void refusesAnEmptyDocument() {
		String empty = "is empty; a spec needs at least id, title, audience and message";

		assertThat(problems("", dir)).containsExactly(new SpecProblem("(document)", empty));
		assertThat(problems("# nothing but a comment\n\n", dir)).containsExactly(new SpecProblem("(document)", empty));
		assertThat(problems("---\n", dir)).containsExactly(new SpecProblem("(document)", empty));
	}

	@Test
	void refusesADocumentThatIsNotAMapping() {
		assertThat(problems("- id: x\n", dir))
			.containsExactly(new SpecProblem("(document)", "must be a mapping of fields, got a list"));
		assertThat(problems("just text\n", dir))
			.containsExactly(new SpecProblem("(document)", "must be a mapping of fields, got 'just text'"));
	}

	@Test
	void refusesMultipleDocuments() {
		String yaml = SpecText.valid().yaml() + "---\n" + SpecText.valid().yaml();

		assertThat(problems(yaml, dir)).containsExactly(
				new SpecProblem("(document)", "holds more than one YAML document; a spec is exactly one"));
	}

	@Test
	void reportsSyntaxErrorsWithTheirLine() {
		String yaml = "id: x\ntitle: [unclosed\n";

		assertThat(problems(yaml, dir)).singleElement().satisfies((problem) -> {
			assertThat(problem.field()).isEqualTo("(document)");
			assertThat(problem.problem()).startsWith("is not valid YAML: while parsing a flow sequence")
				.contains("line 3");
		});
	}

	@Test
	void refusesDeepNesting() {
		String yaml = "id: " + "[".repeat(50) + "]".repeat(50) + "\n";

		assertThat(problems(yaml, dir))
			.containsExactly(new SpecProblem("(document)", "is nested deeper than 10 levels"));
	}

	@Test
	void refusesHugeDocumentsBeforeParsing() {
		String yaml = SpecText.valid().yaml() + "# " + "x".repeat(SpecYaml.MAX_CHARACTERS) + "\n";

		assertThat(problems(yaml, dir))
			.containsExactly(new SpecProblem("(document)", "is larger than 1000000 characters"));
	}

	@Test
	void refusesHugeFilesWithoutReadingThem() throws Exception {
		Path file = dir.resolve("huge.yml");
		Files.writeString(file, "# " + "x".repeat(4 * SpecYaml.MAX_CHARACTERS) + "\n");

		assertThatThrownBy(() -> new IncidentSpecParser().parse(file)).isInstanceOf(InvalidSpecException.class)
			.hasMessage("(document): is larger than 1000000 characters");
	}

	@Test
	void keepsYamlOneOneBooleansAsText() {
		String yaml = SpecText.valid()
			.with("compensation", "compensation:\n  kind: complimentary\n  item: no\n")
			.yaml();

		assertThat(new IncidentSpecParser().parse(yaml, dir).compensation().item()).isEqualTo("no");
	}

}
