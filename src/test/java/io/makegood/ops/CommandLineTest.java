package io.makegood.ops;

import java.util.List;
import java.util.Map;

import io.makegood.ops.CommandLine.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CommandLineTest {

	@Test
	void noArgumentsMeansHelp() {
		CommandLine line = CommandLine.parse();

		assertThat(line.command()).isEqualTo("help");
		assertThat(line.arguments()).isEmpty();
		assertThat(line.options()).isEmpty();
		assertThat(line.springArgs()).isEmpty();
	}

	@Test
	void unknownCommandsAreUsageErrors() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse("send", "spec.yml"))
			.withMessage("Unknown command 'send'");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse("--spring.x=y"));
	}

	@Test
	void separatesArgumentsOptionsAndSpringArguments() {
		CommandLine line = CommandLine.parse("export-credits", "inc-1", "--out", "credits.csv",
				"--spring.datasource.url=jdbc:postgresql://db/makegood", "--makegood.delivery.rate=5", "--debug",
				"--server.port=0", "--management.endpoints.web.exposure.include=health",
				"--logging.level.root=warn");

		assertThat(line.command()).isEqualTo("export-credits");
		assertThat(line.arguments()).containsExactly("inc-1");
		assertThat(line.options()).isEqualTo(Map.of("out", "credits.csv"));
		assertThat(line.springArgs()).containsExactly("--spring.datasource.url=jdbc:postgresql://db/makegood",
				"--makegood.delivery.rate=5", "--debug", "--server.port=0",
				"--management.endpoints.web.exposure.include=health", "--logging.level.root=warn");
		assertThat(line.argument(0, "incident-id")).isEqualTo("inc-1");
	}

	@Test
	void optionValuesMayFollowAnEqualsSign() {
		CommandLine line = CommandLine.parse("export-credits", "--out=a=b.csv", "inc-1");

		assertThat(line.options()).isEqualTo(Map.of("out", "a=b.csv"));
		assertThat(line.arguments()).containsExactly("inc-1");
	}

	@Test
	void anOptionWithoutAValueIsAFlag() {
		CommandLine line = CommandLine.parse("status", "--verbose", "--out", "--json");

		assertThat(line.options()).isEqualTo(Map.of("verbose", "true", "out", "true", "json", "true"));
		assertThat(line.arguments()).isEmpty();
	}

	@Test
	void aMissingArgumentIsAUsageError() {
		CommandLine line = CommandLine.parse("run", "--spring.profiles.active=postgres");

		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> line.argument(0, "spec.yml"))
			.withMessage("run: missing <spec.yml>");
	}

	@Test
	void onlyServeStartsAServer() {
		assertThat(CommandLine.parse("serve").isServer()).isTrue();
		assertThat(CommandLine.parse("run", "spec.yml").isServer()).isFalse();
		assertThat(CommandLine.COMMANDS).containsExactlyInAnyOrder("run", "status", "export-credits", "resolve",
				"deliver", "demo", "serve", "nightly", "revoke", "preview", "stop", "release-capped", "help");
	}

	@Test
	void theUsageTextExplainsEveryCommand() {
		CommandLine.COMMANDS.forEach(command -> assertThat(CommandLine.usage()).contains("  " + command));
	}

	@Test
	void theParsedLineIsImmutable() {
		CommandLine line = CommandLine.parse("run", "spec.yml", "--out=x");

		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> line.arguments().add("other.yml"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> line.options().put("out", "y"));
		assertThat(line.arguments()).isEqualTo(List.of("spec.yml"));
	}

	@Test
	void usageListsEveryCommand() {
		assertThat(CommandLine.usage()).contains("run <spec.yml>", "status", "export-credits <incident-id>", "demo",
				"serve", "help");
	}

}
