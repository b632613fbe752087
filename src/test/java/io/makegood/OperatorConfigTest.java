package io.makegood;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.makegood.credit.claim.ClaimSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager.ShutdownOperation;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config/application.yml is what operators copy from, commented examples included: each of them must be a
 * setting makegood reads, with a value Spring Boot accepts. Spring ignores a key nobody binds, so a misspelt
 * example would silently do nothing in production.
 */
class OperatorConfigTest {

	/** A commented line that is YAML (a lower-case key), not prose: its {@code #} is taken away. */
	private static final Pattern COMMENTED_SETTING = Pattern.compile("(?m)^(\\s*)# ( *[a-z][a-z0-9.-]*:(?: .*)?)$");

	@Test
	void everyMakegoodSettingInTheOperatorConfigAndItsExamplesIsOneMakegoodReads() throws IOException {
		Binder binder = binder(uncommented());
		List<ConfigurationPropertyName> bound = new ArrayList<>();
		AbstractBindHandler recording = new AbstractBindHandler() {
			@Override
			public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				bound.add(name);
				return result;
			}
		};

		binder.bind("makegood", Bindable.of(MakegoodProperties.class), recording);
		binder.bind("makegood", Bindable.of(ClaimSettings.class), recording);

		TreeSet<String> unread = new TreeSet<>();
		for (String key : makegoodKeys(uncommented())) {
			ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
			if (bound.stream().noneMatch(b -> b.equals(name) || (b.isAncestorOf(name) && mapValued(b)))) {
				unread.add(key);
			}
		}
		assertThat(unread).as("keys in config/application.yml that no setting of makegood reads").isEmpty();
	}

	@Test
	void theSpringSettingsOfItsExamplesTakeTheirValues() throws IOException {
		Binder binder = binder(uncommented());
		String pushgateway = "management.prometheus.metrics.export.pushgateway.";

		assertThat(binder.bind(pushgateway + "shutdown-operation", ShutdownOperation.class).get())
			.isEqualTo(ShutdownOperation.POST);
		assertThat(binder.bind(pushgateway + "enabled", Boolean.class).get()).isTrue();
		assertThat(binder.bind("spring.mail.port", Integer.class).get()).isEqualTo(587);
		assertThat(binder.bind("spring.mail.properties", Bindable.mapOf(String.class, String.class)).get())
			.containsEntry("mail.smtp.starttls.required", "true");
		assertThat(binder.bind("makegood", MakegoodProperties.class).get().delivery().transport()).isEqualTo("pickup");
	}

	@Test
	void everyMakegoodSettingTheDocumentationNamesExists() throws IOException {
		Set<String> settings = new TreeSet<>();
		settingNames("makegood", MakegoodProperties.class, settings);
		settingNames("makegood", ClaimSettings.class, settings);
		settings.add("makegood.clock-start"); // read with @Value (MakegoodConfiguration)
		// meter names, the package and the launcher's files, which the documents name in the same form
		Set<String> notSettings = Set.of("makegood.messages", "makegood.send.latency", "makegood.credits.granted",
				"makegood.ops", "makegood.jar", "makegood.jsa");
		Pattern mention = Pattern.compile("\\bmakegood\\.[a-z][a-z0-9.-]*[a-z0-9]");

		TreeSet<String> unknown = new TreeSet<>();
		for (Path document : documents()) {
			Matcher matcher = mention.matcher(Files.readString(document, StandardCharsets.UTF_8));
			while (matcher.find()) {
				String name = matcher.group();
				boolean known = notSettings.contains(name) || settings.contains(name)
						|| settings.stream().anyMatch(setting -> setting.startsWith(name + "."))
						|| name.startsWith("makegood.delivery.domain-rates.") || name.startsWith("makegood.audience.");
				if (!known) {
					unknown.add(document + ": " + name);
				}
			}
		}
		assertThat(unknown).as("makegood.* names in the documentation that are no setting").isEmpty();
	}

	private static List<Path> documents() throws IOException {
		List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("helm", "README.md"),
				Path.of("bench", "README.md"), Path.of("config", "application.yml")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		return documents;
	}

	/** The kebab-case names of a settings record's components, nested records followed. */
	private static void settingNames(String prefix, Class<?> type, Set<String> names) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
			names.add(name);
			if (component.getType().isRecord()) {
				settingNames(name, component.getType(), names);
			}
		}
	}

	private static String uncommented() throws IOException {
		String text = Files.readString(Path.of("config", "application.yml"), StandardCharsets.UTF_8);
		return COMMENTED_SETTING.matcher(text).replaceAll("$1$2");
	}

	private static Binder binder(String yaml) throws IOException {
		return new Binder(ConfigurationPropertySources.from(sources(yaml)));
	}

	private static List<PropertySource<?>> sources(String yaml) throws IOException {
		return new YamlPropertySourceLoader().load("config/application.yml",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
	}

	private static List<String> makegoodKeys(String yaml) throws IOException {
		List<String> keys = new ArrayList<>();
		for (PropertySource<?> source : sources(yaml)) {
			for (String key : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
				if (key.startsWith("makegood.")) {
					keys.add(key);
				}
			}
		}
		assertThat(keys).as("the examples were found").contains("makegood.public-base-url", "makegood.source.url");
		return keys;
	}

	/** makegood's map-valued setting, whose keys are the operator's own (a domain's name). */
	private static boolean mapValued(ConfigurationPropertyName name) {
		return name.toString().equals("makegood.delivery.domain-rates");
	}

}
