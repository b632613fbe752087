package io.makegood.incident;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.makegood.incident.SpecAssertions.assertProblem;
import static io.makegood.incident.SpecAssertions.problems;
import static org.assertj.core.api.Assertions.assertThat;

class MessageSpecTest {

	@TempDir
	Path dir;

	private final IncidentSpecParser parser = new IncidentSpecParser();

	@ParameterizedTest
	@ValueSource(strings = { "care@example.com", "Example Streaming <care@example.com>",
			"\"Example, Inc.\" <care@example.com>", "care@localhost", "care@example.com (Care Team)" })
	void acceptsSingleMailboxes(String from) {
		IncidentSpec spec = parser.parse(message(from), dir);

		assertThat(spec.message().from()).isEqualTo(from);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not an address", "care@", "<care@example.com", "care@exa mple.com",
			"care@@example.com", "care", "Care <care@example.com> team", "Care care@example.com" })
	void refusesMalformedMailboxes(String from) {
		assertThat(problems(message(from), dir)).singleElement().satisfies((problem) -> {
			assertThat(problem.field()).isEqualTo("message.from");
			assertThat(problem.problem()).doesNotContain(from);
		});
	}

	@Test
	void refusesMoreThanOneMailbox() {
		assertProblem(message("a@example.com, b@example.com"), dir, "message.from",
				"must be exactly one mailbox, found 2");
	}

	@Test
	void refusesGroups() {
		assertProblem(message("Team: a@example.com, b@example.com;"), dir, "message.from", "not a group");
	}

	@Test
	void refusesHeaderInjection() {
		assertProblem(message("care@example.com\\r\\nBcc: everyone@example.com"), dir, "message.from",
				"must be one line");
	}

	@Test
	void replyToFollowsTheSameRules() {
		String yaml = SpecText.valid()
			.with("message", "message:\n  template: t\n  from: care@example.com\n  reply-to: \"a@x.com, b@x.com\"\n")
			.yaml();

		assertProblem(yaml, dir, "message.reply-to", "must be exactly one mailbox");
	}

	@Test
	void requiresTemplateAndFrom() {
		assertThat(problems(SpecText.valid().with("message", "message: {}").yaml(), dir)).containsExactly(
				new SpecProblem("message.template", "is required"), new SpecProblem("message.from", "is required"));
		assertProblem(SpecText.valid().with("message", "message:\n  template: t\n  from: ''\n").yaml(), dir,
				"message.from", "must not be empty");
	}

	@Test
	void templateIsADirectoryName() {
		assertProblem(template("Streaming Outage"), dir, "message.template", "must match");
		assertProblem(template("../secrets"), dir, "message.template", "must match");
		assertProblem(template("-outage"), dir, "message.template", "must match");
		assertThat(parser.parse(template("outage_2026-v2"), dir).message().template()).isEqualTo("outage_2026-v2");
	}

	@Test
	void supportPhoneIsOneShortLineWithDigits() {
		assertProblem(phone("call us"), dir, "message.support-phone", "must be a phone number");
		assertProblem(phone("1".repeat(41)), dir, "message.support-phone", "at most 40");
		assertThat(parser.parse(phone("+1 (866) 000-0000"), dir).message().supportPhone())
			.isEqualTo("+1 (866) 000-0000");
	}

	private static String message(String from) {
		return SpecText.valid()
			.with("message", "message:\n  template: streaming-outage\n  from: \"" + from.replace("\"", "\\\"") + "\"\n")
			.yaml();
	}

	private static String template(String template) {
		return SpecText.valid()
			.with("message", "message:\n  template: \"" + template + "\"\n  from: care@example.com\n")
			.yaml();
	}

	private static String phone(String phone) {
		return SpecText.valid()
			.with("message", "message:\n  template: t\n  from: care@example.com\n  support-phone: \"" + phone + "\"\n")
			.yaml();
	}

}
