package io.makegood.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.makegood.credit.ApplyMode;
import io.makegood.credit.CompensationKind;
import io.makegood.credit.CreditStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailTemplatesTest {

	@TempDir
	Path directory;

	@Test
	void prefersTheConfiguredDirectoryOverTheClasspath() throws IOException {
		write("apology", "Custom {{name}}", "text", "<p>html</p>");

		RenderedMessage message = new MailTemplates(this.directory).load("apology").render(Map.of("name", "Ann"));

		assertThat(message.subject()).isEqualTo("Custom Ann");
	}

	@Test
	void fallsBackToTheClasspath() {
		MailTemplate template = new MailTemplates(this.directory.resolve("absent")).load("streaming-outage");

		assertThat(template.name()).isEqualTo("streaming-outage");
	}

	@Test
	void namesTheTemplateAndWhereItLookedWhenMissing() {
		assertThatThrownBy(() -> new MailTemplates(this.directory).load("no-such-set"))
			.isInstanceOf(TemplateNotFoundException.class)
			.hasMessageContaining("no-such-set")
			.hasMessageContaining(this.directory.toAbsolutePath().toString())
			.hasMessageContaining("mail-templates/no-such-set/");
	}

	@Test
	void reportsAMissingFileOfASet() throws IOException {
		Files.createDirectories(this.directory.resolve("half"));
		Files.writeString(this.directory.resolve("half/subject.mustache"), "Hi");

		assertThatThrownBy(() -> new MailTemplates(this.directory).load("half"))
			.isInstanceOf(TemplateNotFoundException.class)
			.hasMessageContaining("text.mustache");
	}

	@Test
	void refusesNamesThatLeaveTheDirectory() {
		assertThatThrownBy(() -> new MailTemplates(this.directory).load("../etc"))
			.isInstanceOf(TemplateNotFoundException.class);
	}

	@Test
	void failsOnAVariableTheModelCannotFillButRendersNullAsEmpty() throws IOException {
		write("vars", "Hello {{name}}", "Plan: [{{plan}}]", "<p>{{missing}}</p>");
		MailTemplate template = new MailTemplates(this.directory).load("vars");
		Map<String, Object> model = new HashMap<>();
		model.put("name", "Ann");
		model.put("plan", null);

		assertThatThrownBy(() -> template.render(model)).isInstanceOf(TemplateRenderException.class)
			.hasMessageContaining("vars")
			.hasMessageContaining("html")
			.hasMessageContaining("missing");
		model.put("missing", "x");
		assertThat(template.render(model).text()).isEqualTo("Plan: []");
	}

	@Test
	void escapesHtmlOnlyInTheHtmlPartAndKeepsTheSubjectOnOneLine() throws IOException {
		write("esc", "Hi {{name}}\r\nBcc: evil@example.com\u0007", "Hi {{name}}", "<p>Hi {{name}}</p>");

		RenderedMessage message = new MailTemplates(this.directory).load("esc")
			.render(Map.of("name", "<script>alert(1)</script> & co"));

		assertThat(message.subject()).isEqualTo("Hi <script>alert(1)</script> & co Bcc: evil@example.com");
		assertThat(message.text()).isEqualTo("Hi <script>alert(1)</script> & co");
		assertThat(message.html()).isEqualTo("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>");
	}

	@Test
	void streamingOutageCarriesCreditAndPhoneInBothParts() {
		Map<String, Object> model = TemplateModel.of(Fixtures.streamingOutage(),
				Fixtures.row("A-1", "Gabriel Stone", "en-US"), Fixtures.percentCredit(), null,
				List.of(new CoveredAccount("A-2", Fixtures.percentCredit())));

		RenderedMessage message = new MailTemplates(this.directory).load("streaming-outage").render(model);

		assertThat(message.subject()).isEqualTo("We're sorry");
		for (String body : List.of(message.text(), message.html())) {
			assertThat(body).contains("Hi Gabriel,")
				.contains("5% of your monthly fee ($0.40)")
				.contains("1-866-555-0198")
				.contains("Account A-2")
				.contains("November 28, 2026, 18:05 UTC");
		}
		assertThat(message.text()).contains("applied automatically to your next bill").doesNotContain("{{");
	}

	@Test
	void complimentaryRentalOffersTheItemAndItsExpiry() {
		Map<String, Object> model = TemplateModel.of(
				Fixtures.incident("complimentary-rental", CompensationKind.COMPLIMENTARY, ApplyMode.CLAIM_LINK),
				Fixtures.row("A-1", "Traci", "en-US"), Fixtures.complimentary(CreditStatus.CLAIMABLE),
				"https://example.com/claim?t=a&b", List.of());

		RenderedMessage message = new MailTemplates(this.directory).load("complimentary-rental").render(model);

		assertThat(message.text()).contains("one complimentary movie rental")
			.contains("December 5, 2026")
			.contains("https://example.com/claim?t=a&b")
			.contains("1-866-555-0198");
		assertThat(message.html()).contains("one complimentary movie rental")
			.contains("href=\"https://example.com/claim?t&#x3D;a&amp;b\"")
			.contains("1-866-555-0198");
	}

	@Test
	void apologyNeedsNoCredit() {
		Map<String, Object> model = TemplateModel.of(
				Fixtures.incident("apology", CompensationKind.NONE, ApplyMode.AUTOMATIC),
				Fixtures.row("A-1", null, null), null, null, List.of(new CoveredAccount("A-9", null)));

		RenderedMessage message = new MailTemplates(this.directory).load("apology").render(model);

		assertThat(message.subject()).isEqualTo("We're sorry: Streaming was unavailable on 28 November");
		assertThat(message.text()).startsWith("Hi there,").contains("A-9").contains("1-866-555-0198");
		assertThat(message.html()).contains("A-9").contains("1-866-555-0198");
	}

	@Test
	void everyShippedSetRendersForEveryKindOfCredit() {
		MailTemplates templates = new MailTemplates(Path.of("jobs/templates"));
		for (String name : List.of("streaming-outage", "complimentary-rental", "apology")) {
			for (CompensationKind kind : CompensationKind.values()) {
				for (ApplyMode apply : ApplyMode.values()) {
					Map<String, Object> model = TemplateModel.of(Fixtures.incident(name, kind, apply),
							Fixtures.row("A-1", "Ann Lee", "en-US"), credit(kind, apply), "https://e.example/c",
							List.of(new CoveredAccount("A-2", credit(kind, apply))));
					RenderedMessage message = templates.load(name).render(model);
					assertThat(message.subject()).isNotBlank();
					assertThat(message.text()).contains("Ann").doesNotContain("\n\n\n");
				}
			}
		}
	}

	@Test
	void bundledCopiesMatchTheExamplesInJobs() throws IOException {
		Path examples = Path.of("jobs/templates");
		Path bundled = Path.of("src/main/resources/mail-templates");
		try (Stream<Path> files = Files.walk(examples)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Path copy = bundled.resolve(examples.relativize(file).toString());
				assertThat(copy).as("bundled copy of " + file).exists();
				assertThat(Files.readString(copy)).as(copy.toString()).isEqualTo(Files.readString(file));
			}
		}
	}

	private static io.makegood.credit.Credit credit(CompensationKind kind, ApplyMode apply) {
		CreditStatus status = (apply == ApplyMode.CLAIM_LINK) ? CreditStatus.CLAIMABLE : CreditStatus.APPLIED;
		return switch (kind) {
			case PERCENT_OF_FEE -> Fixtures.percentCredit();
			case FIXED -> Fixtures.fixed("5.00", "USD");
			case COMPLIMENTARY -> Fixtures.complimentary(status);
			case NONE -> null;
		};
	}

	private void write(String name, String subject, String text, String html) throws IOException {
		Path set = Files.createDirectories(this.directory.resolve(name));
		Files.writeString(set.resolve("subject.mustache"), subject);
		Files.writeString(set.resolve("text.mustache"), text);
		Files.writeString(set.resolve("html.mustache"), html);
	}

}
