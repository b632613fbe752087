package io.makegood.incident;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.incident.SpecAssertions.assertProblem;
import static io.makegood.incident.SpecAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AudienceSpecTest {

	@TempDir
	Path dir;

	private final IncidentSpecParser parser = new IncidentSpecParser();

	@Test
	void readsASqlAudienceAndStripsTheBlock() {
		IncidentSpec spec = parser.parse(audience("""
				audience:
				  source: sql
				  query: |
				    select account_id, email, name, plan, currency, monthly_fee, locale
				    from accounts
				"""), dir);

		assertThat(spec.audience().source()).isEqualTo("sql");
		assertThat(spec.audience().query()).startsWith("select").endsWith("from accounts");
	}

	@Test
	void resolvesACsvFileAgainstTheBaseDirectory() throws Exception {
		Files.createDirectories(dir.resolve("data"));
		Files.writeString(dir.resolve("data/affected.csv"), "account_id,email\n");

		IncidentSpec spec = parser.parse(audience("audience:\n  source: csv\n  file: data/../data/affected.csv\n"),
				dir);

		assertThat(spec.audience().source()).isEqualTo("csv");
		assertThat(spec.audience().file()).isEqualTo(dir.resolve("data/affected.csv").toAbsolutePath());
		assertThat(spec.audience().query()).isNull();
	}

	@Test
	void requiresASource() {
		assertProblem(audience("audience:\n  query: select 1\n"), dir, "audience.source", "is required");
	}

	@Test
	void listsTheAllowedSources() {
		assertProblem(audience("audience:\n  source: ldap\n"), dir, "audience.source",
				"unknown source 'ldap'; expected one of: sql, csv, recipients-of");
	}

	@Test
	void recipientsOfNeedsAnIncident() {
		assertProblem(audience("audience:\n  source: recipients-of\n"), dir, "audience.incident", "is required");
	}

	@Test
	void recipientsOfTargetsSentByDefaultOrTheGivenStatuses() {
		IncidentSpec sent = parser.parse(audience("audience:\n  source: recipients-of\n  incident: first\n"), dir);
		assertThat(sent.audience().incident()).isEqualTo("first");
		assertThat(sent.audience().statuses()).containsExactly("SENT");
		IncidentSpec both = parser.parse(
				audience("audience: { source: recipients-of, incident: first, status: [SENT, IN_DOUBT] }\n"), dir);
		assertThat(both.audience().statuses()).containsExactly("SENT", "IN_DOUBT");
	}

	@Test
	void recipientsOfRefusesUnknownStatusesAndForeignKeys() {
		assertProblem(audience("audience: { source: recipients-of, incident: first, status: [SENT, PENDING] }\n"), dir,
				"audience.status", "unknown status [PENDING]");
		assertProblem(audience("audience: { source: recipients-of, incident: first, query: select 1 }\n"), dir,
				"audience.query", "is only used with source sql");
		assertProblem(audience("audience: { source: csv, file: x.csv, incident: first }\n"), dir, "audience.incident",
				"is only used with source recipients-of");
	}

	@Test
	void sqlNeedsANonEmptyQuery() {
		assertProblem(audience("audience:\n  source: sql\n"), dir, "audience.query", "is required");
		assertProblem(audience("audience:\n  source: sql\n  query: \"\"\n"), dir, "audience.query",
				"must not be empty");
		assertProblem(audience("audience:\n  source: sql\n  query: |\n    \n\n"), dir, "audience.query",
				"must not be empty");
		assertProblem(audience("audience:\n  source: sql\n  query: [select 1]\n"), dir, "audience.query",
				"must be text");
	}

	@Test
	void windowParametersNeedAWindow() {
		String yaml = SpecText.valid()
			.without("window")
			.with("audience", "audience:\n  source: sql\n  query: select * from f where at >= :windowStart\n")
			.yaml();

		assertProblem(yaml, dir, "audience.query", "uses :windowStart but the spec has no window");
	}

	@Test
	void refusesTheParameterReservedForPaging() {
		assertProblem(audience("audience:\n  source: sql\n  query: select * from a where id > :lastAccountId\n"), dir,
				"audience.query", ":lastAccountId is reserved");
	}

	@Test
	void postgresCastsAreNotWindowParameters() {
		String yaml = SpecText.valid()
			.without("window")
			.with("audience", "audience:\n  source: sql\n  query: select 'x'::windowStart from t\n")
			.yaml();

		assertThat(parser.parse(yaml, dir).audience().query()).contains("::windowStart");
	}

	@Test
	void csvNeedsAnExistingReadableFile() throws Exception {
		assertProblem(audience("audience:\n  source: csv\n"), dir, "audience.file", "is required");
		assertProblem(audience("audience:\n  source: csv\n  file: missing.csv\n"), dir, "audience.file",
				"not found: " + dir.resolve("missing.csv").toAbsolutePath());
		Files.createDirectories(dir.resolve("folder.csv"));
		assertProblem(audience("audience:\n  source: csv\n  file: folder.csv\n"), dir, "audience.file",
				"is not a regular file");
	}

	@Test
	void aFrozenAudienceNoLongerNeedsItsFile() {
		String yaml = audience("audience:\n  source: csv\n  file: sent-and-deleted.csv\n");

		IncidentSpec spec = parser.parseFrozen(yaml, dir);

		assertThat(spec.audience().file()).isEqualTo(dir.resolve("sent-and-deleted.csv").toAbsolutePath());
		assertProblem(yaml, dir, "audience.file", "not found");
	}

	@Test
	void aFrozenAudienceIsOtherwiseCheckedAsStrictly() {
		assertThat(frozenProblems(audience("audience:\n  source: csv\n"))).containsExactly(
				new SpecProblem("audience.file", "is required"));
		assertThat(frozenProblems(audience("audience:\n  source: csv\n  file: gone.csv\n  query: select 1\n")))
			.containsExactly(new SpecProblem("audience.query", "is only used with source sql"));
		assertThat(frozenProblems(SpecText.valid()
			.with("audience", "audience:\n  source: csv\n  file: gone.csv\n")
			.with("message", "message:\n  template: streaming-outage\n")
			.yaml())).containsExactly(new SpecProblem("message.from", "is required"));
	}

	@Test
	void refusesFieldsOfTheOtherSource() throws Exception {
		Files.writeString(dir.resolve("a.csv"), "account_id\n");

		assertThat(problems(audience("audience:\n  source: csv\n  file: a.csv\n  query: select 1\n"), dir))
			.containsExactly(new SpecProblem("audience.query", "is only used with source sql"));
		assertThat(problems(audience("audience:\n  source: sql\n  query: select 1\n  file: a.csv\n"), dir))
			.containsExactly(new SpecProblem("audience.file", "is only used with source csv"));
	}

	private List<SpecProblem> frozenProblems(String yaml) {
		InvalidSpecException ex = catchThrowableOfType(InvalidSpecException.class, () -> parser.parseFrozen(yaml, dir));
		assertThat(ex).as("spec should be refused:\n%s", yaml).isNotNull();
		return ex.problems();
	}

	private static String audience(String yaml) {
		return SpecText.valid().with("audience", yaml).yaml();
	}

}
