package io.makegood.incident;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.incident.IncidentSpec.Compensation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.makegood.incident.SpecAssertions.assertProblem;
import static io.makegood.incident.SpecAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentSpecParserTest {

	@TempDir
	Path dir;

	private final IncidentSpecParser parser = new IncidentSpecParser();

	@Test
	void readsEveryField() {
		String yaml = SpecText.valid()
			.with("compensation", """
					compensation:
					  kind: percent-of-fee
					  percent: 3
					  apply: claim-link
					  expires: PT48H
					""")
			.with("message", """
					message:
					  template: streaming-outage
					  from: "Example Streaming <care@example.com>"
					  reply-to: care@example.com
					  support-phone: "1-866-000-0000"
					""")
			.yaml();

		IncidentSpec spec = parser.parse(yaml, dir);

		assertThat(spec.id()).isEqualTo("streaming-outage-2026-11-28");
		assertThat(spec.title()).isEqualTo("Streaming unavailable on 28 November");
		assertThat(spec.window().start()).isEqualTo(Instant.parse("2026-11-28T18:05:00Z"));
		assertThat(spec.window().end()).isEqualTo(Instant.parse("2026-11-28T23:40:00Z"));
		assertThat(spec.audience().source()).isEqualTo("sql");
		assertThat(spec.audience().query()).startsWith("select * from accounts");
		assertThat(spec.audience().file()).isNull();
		assertThat(spec.compensation().kind()).isEqualTo(CompensationKind.PERCENT_OF_FEE);
		assertThat(spec.compensation().percent()).isEqualByComparingTo("3");
		assertThat(spec.compensation().apply()).isEqualTo(ApplyMode.CLAIM_LINK);
		assertThat(spec.compensation().expires()).hasHours(48);
		assertThat(spec.message().template()).isEqualTo("streaming-outage");
		assertThat(spec.message().from()).isEqualTo("Example Streaming <care@example.com>");
		assertThat(spec.message().replyTo()).isEqualTo("care@example.com");
		assertThat(spec.message().supportPhone()).isEqualTo("1-866-000-0000");
		assertThat(spec.delivery().rate()).isEqualTo(50.0);
		assertThat(spec.sourceText()).isEqualTo(yaml);
		assertThat(spec.baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
	}

	@Test
	void optionalSectionsHaveDefaults() {
		String yaml = SpecText.valid()
			.without("window")
			.without("compensation")
			.without("delivery")
			.with("audience", "audience:\n  source: sql\n  query: select * from accounts\n")
			.yaml();

		IncidentSpec spec = parser.parse(yaml, dir);

		assertThat(spec.window()).isNull();
		assertThat(spec.compensation()).isEqualTo(Compensation.none());
		assertThat(spec.delivery().rate()).isNull();
		assertThat(spec.message().replyTo()).isNull();
		assertThat(spec.message().supportPhone()).isNull();
	}

	@Test
	void nullSectionsMeanTheDefault() {
		String yaml = SpecText.valid().with("compensation", "compensation:").with("delivery", "delivery: {}").yaml();

		IncidentSpec spec = parser.parse(yaml, dir);

		assertThat(spec.compensation()).isEqualTo(Compensation.none());
		assertThat(spec.delivery().rate()).isNull();
	}

	@Test
	void parsesAFileAndResolvesAgainstItsDirectory() throws Exception {
		Path jobs = Files.createDirectories(dir.resolve("jobs"));
		Files.writeString(jobs.resolve("affected.csv"), "account_id,email\n");
		Path file = jobs.resolve("spec.yml");
		Files.writeString(file, "\uFEFF" + SpecText.valid()
			.with("audience", "audience:\n  source: csv\n  file: affected.csv\n")
			.yaml());

		IncidentSpec spec = parser.parse(file);

		assertThat(spec.audience().file()).isEqualTo(jobs.resolve("affected.csv").toAbsolutePath());
		assertThat(spec.baseDir()).isEqualTo(jobs.toAbsolutePath());
		assertThat(spec.sourceText()).startsWith("id:");
	}

	@Test
	void reportsAMissingFile() {
		Path missing = dir.resolve("nope.yml");

		assertThatThrownBy(() -> parser.parse(missing)).isInstanceOf(InvalidSpecException.class)
			.hasMessage("(file): not found: " + missing.toAbsolutePath());
	}

	@Test
	void refusesAFileThatIsNotUtf8() throws Exception {
		Path file = dir.resolve("latin1.yml");
		Files.write(file, "id: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

		assertThatThrownBy(() -> parser.parse(file)).isInstanceOf(InvalidSpecException.class)
			.hasMessage("(document): is not valid UTF-8");
	}

	@Test
	void requiresIdTitleAudienceAndMessage() {
		List<SpecProblem> problems = problems("window:\n  start: 2026-11-28T18:05:00Z\n  end: 2026-11-28T19:00:00Z\n",
				dir);

		assertThat(problems).containsExactly(new SpecProblem("id", "is required"),
				new SpecProblem("title", "is required"), new SpecProblem("audience", "is required"),
				new SpecProblem("message", "is required"));
	}

	@Test
	void collectsEveryProblemAndListsThemOnePerLine() {
		String yaml = SpecText.valid()
			.with("id", "id: Not An Id")
			.with("compensation", "compensation:\n  kind: percent-of-fee\n  percent: 101\n")
			.with("delivery", "delivery:\n  rate: fast\n")
			.yaml();

		InvalidSpecException ex = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidSpecException.class,
				() -> parser.parse(yaml, dir));

		assertThat(ex.problems()).extracting(SpecProblem::field)
			.containsExactly("id", "compensation.percent", "delivery.rate");
		assertThat(ex.getMessage().lines()).hasSize(3)
			.allSatisfy((line) -> assertThat(line).matches("[a-z.]+: .+"));
		assertThat(ex.getMessage().lines().toList().get(1))
			.isEqualTo("compensation.percent: must be greater than 0 and at most 100, got 101");
	}

	@Test
	void checksTheIdFormat() {
		assertProblem(SpecText.valid().with("id", "id: Streaming Outage").yaml(), dir, "id", "must match");
		assertProblem(SpecText.valid().with("id", "id: -leading-dash").yaml(), dir, "id", "must match");
		assertProblem(SpecText.valid().with("id", "id: " + "a".repeat(201)).yaml(), dir, "id", "must match");
		assertThat(parser.parse(SpecText.valid().with("id", "id: " + "a".repeat(200)).yaml(), dir).id()).hasSize(200);
		assertThat(parser.parse(SpecText.valid().with("id", "id: 2026.11_28-x").yaml(), dir).id())
			.isEqualTo("2026.11_28-x");
	}

	@Test
	void refusesEmptyOrOverlongTitles() {
		assertProblem(SpecText.valid().with("title", "title: \"  \"").yaml(), dir, "title", "must not be empty");
		assertProblem(SpecText.valid().with("title", "title: " + "x".repeat(501)).yaml(), dir, "title",
				"at most 500");
	}

	@Test
	void reportsWrongTypes() {
		assertProblem(SpecText.valid().with("title", "title: [a, b]").yaml(), dir, "title", "must be text, got a list");
		assertProblem(SpecText.valid().with("id", "id: {a: 1}").yaml(), dir, "id", "must be text, got a mapping");
		assertProblem(SpecText.valid().with("message", "message: hello").yaml(), dir, "message",
				"must be a mapping of template, from, reply-to, support-phone; got 'hello'");
		assertProblem(SpecText.valid().with("window", "window: 2026-11-28").yaml(), dir, "window",
				"must be a mapping");
	}

	@Test
	void suggestsTheClosestKnownFieldForUnknownOnes() {
		String yaml = SpecText.valid()
			.with("title", "titel: Streaming unavailable")
			.with("compensation", "compensation:\n  kind: percent-of-fee\n  percnt: 3\n")
			.with("message", """
					message:
					  template: streaming-outage
					  from: care@example.com
					  replyTo: care@example.com
					  colour: blue
					""")
			.yaml();

		assertThat(problems(yaml, dir)).contains(new SpecProblem("titel", "unknown field; did you mean 'title'?"),
				new SpecProblem("compensation.percnt", "unknown field; did you mean 'percent'?"),
				new SpecProblem("message.replyTo", "unknown field; did you mean 'reply-to'?"),
				new SpecProblem("message.colour",
						"unknown field; expected one of: template, from, reply-to, support-phone"));
	}

	@Test
	void reportsUnknownFieldsInEverySection() {
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: 5/s\n  burst: 10\n").yaml(), dir,
				"delivery.burst", "unknown field");
		assertProblem(SpecText.valid()
			.with("window", "window:\n  start: 2026-11-28T18:05:00Z\n  end: 2026-11-28T19:00:00Z\n  zone: UTC\n")
			.yaml(), dir, "window.zone", "unknown field");
		assertProblem(SpecText.valid()
			.with("audience", "audience:\n  source: sql\n  query: select 1\n  qurey: select 2\n")
			.yaml(), dir, "audience.qurey", "did you mean 'query'?");
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: 5/s\nowner: ops\n").yaml(), dir, "owner",
				"unknown field");
	}

	@Test
	void windowNeedsBothEndsWithOffsets() {
		assertProblem(SpecText.valid().with("window", "window:\n  start: 2026-11-28T18:05:00Z\n").yaml(), dir,
				"window.end", "is required");
		assertProblem(SpecText.valid()
			.with("window", "window:\n  start: 2026-11-28T18:05:00\n  end: 2026-11-28T19:00:00Z\n")
			.yaml(), dir, "window.start", "must be an ISO-8601 instant with an offset");
		assertProblem(SpecText.valid()
			.with("window", "window:\n  start: yesterday\n  end: 2026-11-28T19:00:00Z\n")
			.yaml(), dir, "window.start", "got 'yesterday'");
	}

	@Test
	void windowAcceptsOffsetsAndAnEmptyRange() {
		IncidentSpec spec = parser.parse(SpecText.valid()
			.with("window", "window: { start: 2026-11-28T19:05:00+01:00, end: 2026-11-28T18:05:00Z }")
			.yaml(), dir);

		assertThat(spec.window().start()).isEqualTo(spec.window().end());
	}

	@Test
	void windowEndMustNotPrecedeStart() {
		String yaml = SpecText.valid()
			.with("window", "window: { start: 2026-11-28T23:40:00Z, end: 2026-11-28T18:05:00Z }")
			.yaml();

		assertThat(problems(yaml, dir)).containsExactly(
				new SpecProblem("window", "end 2026-11-28T18:05:00Z is before start 2026-11-28T23:40:00Z"));
	}

	@Test
	void convertsDeliveryRatesToMessagesPerSecond() {
		assertThat(rate("50/s")).isEqualTo(50.0);
		assertThat(rate("120/m")).isEqualTo(2.0);
		assertThat(rate("1800/h")).isEqualTo(0.5);
		assertThat(rate("0.5/s")).isEqualTo(0.5);
	}

	@Test
	void refusesMalformedOrZeroRates() {
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: 50\n").yaml(), dir, "delivery.rate",
				"must look like N/s, N/m or N/h");
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: 50/d\n").yaml(), dir, "delivery.rate",
				"must look like N/s, N/m or N/h");
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: -5/s\n").yaml(), dir, "delivery.rate",
				"must look like N/s, N/m or N/h");
		assertProblem(SpecText.valid().with("delivery", "delivery:\n  rate: 0/s\n").yaml(), dir, "delivery.rate",
				"must be greater than 0");
	}

	@Test
	void keepsExactDecimalText() {
		IncidentSpec spec = parser.parse(SpecText.valid()
			.with("compensation", "compensation:\n  kind: fixed\n  amount: 5.00\n")
			.yaml(), dir);

		assertThat(spec.compensation().amount()).isEqualTo(new BigDecimal("5.00"));
	}

	private Double rate(String rate) {
		return parser.parse(SpecText.valid().with("delivery", "delivery:\n  rate: " + rate + "\n").yaml(), dir)
			.delivery()
			.rate();
	}

}
