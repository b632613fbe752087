package io.makegood.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.makegood.MakegoodProperties;
import io.makegood.credit.claim.ClaimSettings;
import io.makegood.support.CsvIncident;
import io.makegood.support.PodOnThisMachine;
import io.makegood.support.RenderedChart;
import io.makegood.support.TestDatabases;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager.ShutdownOperation;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static io.makegood.support.RenderedChart.at;
import static io.makegood.support.RenderedChart.map;
import static io.makegood.support.RenderedChart.podSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * helm/makegood, linted and rendered by Helm itself; then the pods it renders are run. Their commands,
 * environment and mounted files are reproduced on this machine ({@link PodOnThisMachine}) and run as processes
 * of the packaged jar against PostgreSQL and an SMTP server on loopback, so a wrong variable name, mount path or
 * argument shows up as a run that fails or sends the wrong thing.
 */
class HelmChartIT {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	static final Map<String, Map<String, String>> SECRETS = Map.of("makegood-db",
			Map.of("username", "postgres", "password", "postgres"));

	@TempDir
	Path dir;

	@Test
	void theChartLintsCleanlyUnderStrictRules() {
		LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

		assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
		assertThat(lint.getMessages())
			.noneMatch(message -> message.contains("[WARNING]") || message.contains("[ERROR]"));
	}

	@Test
	void byDefaultItSchedulesTheNightlyRunsAndKeepsSecretsOutOfTheChart() {
		RenderedChart chart = RenderedChart.render(null);

		assertThat(chart.ofKind("Job")).isEmpty();
		assertThat(chart.ofKind("Deployment")).isEmpty();
		Map<String, Object> nightly = chart.get("CronJob", "care-makegood-nightly");
		assertThat(at(nightly, "spec", "concurrencyPolicy")).isEqualTo("Forbid");
		assertThat(container(nightly).get("args")).isEqualTo(List.of("nightly"));
		Map<String, Object> capped = chart.get("CronJob", "care-makegood-release-capped");
		assertThat(container(capped).get("args")).isEqualTo(List.of("release-capped"));
		assertThat(at(nightly, "spec", "jobTemplate", "spec", "podFailurePolicy", "rules")).asList()
			.first()
			.satisfies(rule -> assertThat(at(map(rule), "onExitCodes", "values")).isEqualTo(List.of(2, 3, 4)));

		for (Map<String, Object> cronJob : chart.ofKind("CronJob")) {
			Map<String, Object> container = container(cronJob);
			assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
			assertThat(envEntry(container, "SPRING_DATASOURCE_PASSWORD")).doesNotContainKey("value")
				.containsKey("valueFrom");
			assertThat(podSpec(cronJob).get("volumes")).asList()
				.anySatisfy(volume -> assertThat(map(volume)).containsEntry("name", "journal").containsKey("emptyDir"));
		}
		assertThat(chart.ofKind("Secret")).isEmpty();
	}

	@Test
	void everyVariableThePodsGetBindsToTheSettingItMeans() throws IOException {
		RenderedChart chart = RenderedChart.render(values(Map.of("smtp",
				Map.of("host", "mail.internal", "port", 2525, "requireTls", false, "existingSecret", "makegood-smtp"),
				"serve", Map.of("enabled", true, "publicBaseUrl", "https://care.example.com"), "pushgateway",
				Map.of("address", "pushgateway.monitoring:9091"))));
		Map<String, Map<String, String>> secrets = Map.of("makegood-db", SECRETS.get("makegood-db"), "makegood-smtp",
				Map.of("username", "mailer", "password", "mail-secret"));
		Map<String, String> env = new PodOnThisMachine(chart,
				podSpec(chart.get("Deployment", "care-makegood-serve")), secrets).env();
		// bound as Spring Boot binds a real process environment (the name selects its relaxed rules)
		SystemEnvironmentPropertySource podEnvironment = new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new LinkedHashMap<>(env));
		Binder binder = new Binder(ConfigurationPropertySources.from(podEnvironment));

		MakegoodProperties makegood = binder.bindOrCreate("makegood", MakegoodProperties.class);
		assertThat(makegood.delivery().transport()).isEqualTo("smtp");
		assertThat(makegood.delivery().requireTls()).isFalse();
		assertThat(binder.bindOrCreate("makegood", ClaimSettings.class).publicBaseUrl())
			.isEqualTo("https://care.example.com");
		assertThat(binder.bind("spring.mail.host", String.class).get()).isEqualTo("mail.internal");
		assertThat(binder.bind("spring.mail.port", Integer.class).get()).isEqualTo(2525);
		assertThat(binder.bind("spring.mail.username", String.class).get()).isEqualTo("mailer");
		assertThat(binder.bind("spring.mail.password", String.class).get()).isEqualTo("mail-secret");
		assertThat(binder.bind("spring.datasource.password", String.class).get()).isEqualTo("postgres");
		assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8080);
		assertThat(binder.bind("management.endpoint.health.probes.enabled", Boolean.class).get()).isTrue();
		String pushgateway = "management.prometheus.metrics.export.pushgateway.";
		assertThat(binder.bind(pushgateway + "enabled", Boolean.class).get()).isTrue();
		assertThat(binder.bind(pushgateway + "address", String.class).get()).isEqualTo("pushgateway.monitoring:9091");
		assertThat(binder.bind(pushgateway + "shutdown-operation", ShutdownOperation.class).get())
			.isEqualTo(ShutdownOperation.POST);
	}

	@Test
	void valuesThatCannotWorkAreRefusedWithTheReason() throws IOException {
		assertThatThrownBy(() -> RenderedChart.render(values(Map.of("database",
				Map.of("url", "jdbc:hsqldb:file:./data/makegood", "existingSecret", "makegood-db")))))
			.hasMessageContaining("'/database/url'")
			.hasMessageContaining("does not match pattern '^jdbc:postgresql://'");
		assertThatThrownBy(() -> RenderedChart.render(values(Map.of("incidents",
				Map.of("files", Map.of(), "run", List.of(Map.of("spec", "outage.yml")))))))
			.hasMessageContaining("incidents.run names spec \"outage.yml\", which is not one of incidents.files");
		assertThatThrownBy(() -> RenderedChart.render(values(Map.of("serve", Map.of("enabled", true)))))
			.hasMessageContaining("serve.publicBaseUrl is required");
	}

	@Test
	void theRenderedJobsPreviewThenSendEachAccountOnceAndTheNightlyRunSendsNothingMore() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		Path app = dir.resolve("app");
		CsvIncident incident = CsvIncident.write(dir.resolve("spec"), "helm-outage", 5);
		Path templates = Path.of("jobs", "templates", "streaming-outage");
		Map<String, String> templateFiles = new LinkedHashMap<>();
		for (String file : List.of("subject.mustache", "text.mustache", "html.mustache")) {
			templateFiles.put(file, Files.readString(templates.resolve(file)));
		}
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("appDir", app.toAbsolutePath().toString());
		values.put("database", Map.of("url", database.url(), "existingSecret", "makegood-db"));
		values.put("smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort()));
		values.put("incidents", Map.of("files", Map.of("helm-outage.yml", Files.readString(incident.spec()),
				"helm-outage-accounts.csv",
				Files.readString(incident.spec().resolveSibling("helm-outage-accounts.csv"))),
				"preview", List.of("helm-outage.yml"), "run", List.of(Map.of("spec", "helm-outage.yml"))));
		values.put("mailTemplates", Map.of("streaming-outage", templateFiles));
		values.put("javaOpts", "-Xmx256m");
		RenderedChart chart = RenderedChart.render(values(values));

		PodOnThisMachine preview = new PodOnThisMachine(chart,
				podSpec(chart.get("Job", "care-makegood-preview-helm-outage")), SECRETS);
		PodOnThisMachine.Result previewed = preview.run("preview", 180);

		assertThat(previewed.exitCode()).as(previewed.output()).isZero();
		assertThat(previewed.output()).contains("plan hash:");
		assertThat(greenMail.getReceivedMessages()).isEmpty();
		assertThat(database.jdbc().queryForObject("select count(*) from mg_outbox", Integer.class)).isZero();

		PodOnThisMachine run = new PodOnThisMachine(chart, podSpec(chart.get("Job", "care-makegood-run-helm-outage")),
				SECRETS);
		assertThat(run.args()).containsExactly("run", app.resolve("jobs/incidents/helm-outage.yml").toString());
		PodOnThisMachine.Result first = run.run("run", 180);

		assertThat(first.exitCode()).as(first.output()).isZero();
		MimeMessage[] received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(5);
		List<String> recipients = new ArrayList<>();
		for (MimeMessage message : received) {
			assertThat(message.getAllRecipients()).hasSize(1);
			assertThat(message.getRecipients(Message.RecipientType.CC)).isNull();
			recipients.add(((InternetAddress) message.getAllRecipients()[0]).getAddress());
			assertThat(message.getSubject()).isNotBlank();
		}
		assertThat(recipients).containsExactlyInAnyOrderElementsOf(incident.recipients());
		assertThat(database.jdbc()
			.queryForList("select status from mg_outbox where incident_id = 'helm-outage'", String.class))
			.hasSize(5)
			.containsOnly("SENT");
		assertThat(app.resolve("reports/helm-outage")).isDirectory();
		assertThat(first.output()).doesNotContain("customer-00001@example.org").doesNotContain("postgres@");

		// the Job's next pod (a retry, or the Job created again) and the nightly CronJob's pod send nothing twice
		PodOnThisMachine.Result again = run.run("run-again", 180);
		PodOnThisMachine nightly = new PodOnThisMachine(chart, podSpec(chart.get("CronJob", "care-makegood-nightly")),
				SECRETS);
		PodOnThisMachine.Result night = nightly.run("nightly", 180);

		assertThat(again.exitCode()).as(again.output()).isZero();
		assertThat(night.exitCode()).as(night.output()).isZero();
		assertThat(greenMail.getReceivedMessages()).hasSize(5);
		assertThat(database.jdbc().queryForObject(
				"select count(*) from mg_credit where incident_id = 'helm-outage'", Integer.class)).isEqualTo(5);
	}

	@Test
	void theClaimServerAnswersItsProbesWhereTheDeploymentLooks() throws Exception {
		TestDatabases.Database database = TestDatabases.postgres();
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("appDir", dir.resolve("serve").toAbsolutePath().toString());
		values.put("database", Map.of("url", database.url(), "existingSecret", "makegood-db"));
		values.put("smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort()));
		values.put("serve", Map.of("enabled", true, "publicBaseUrl", "https://care.example.com", "port", port));
		values.put("javaOpts", "-Xmx256m");
		RenderedChart chart = RenderedChart.render(values(values));
		Map<String, Object> deployment = chart.get("Deployment", "care-makegood-serve");
		Map<String, Object> container = container(deployment);
		assertThat(container.get("ports")).asList().singleElement()
			.satisfies(declared -> assertThat(map(declared)).containsEntry("name", "http")
				.containsEntry("containerPort", port));
		PodOnThisMachine serve = new PodOnThisMachine(chart, podSpec(deployment), SECRETS);
		serve.env().put("SERVER_ADDRESS", "127.0.0.1"); // this machine's test listens on loopback only

		Process server = serve.start(dir.resolve("serve.log"));
		try {
			HttpClient http = HttpClient.newHttpClient();
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				assertThat(at(container, probe, "httpGet", "port")).isEqualTo("http");
				URI uri = URI.create("http://127.0.0.1:" + port + at(container, probe, "httpGet", "path"));
				assertThat(statusWithin(http, uri, Duration.ofSeconds(90))).as("%s %s\n%s", probe, uri,
						Files.readString(dir.resolve("serve.log"))).isEqualTo(200);
			}
		}
		finally {
			server.destroy();
			server.waitFor(30, TimeUnit.SECONDS);
		}
	}

	/** The first status the server answers, retried while it is still starting (connection refused). */
	private static int statusWithin(HttpClient http, URI uri, Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (true) {
			try {
				return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode();
			}
			catch (IOException notYet) {
				if (System.nanoTime() > deadline) {
					return -1;
				}
				Thread.sleep(250);
			}
		}
	}

	private Path values(Map<String, Object> values) throws IOException {
		Path file = Files.createTempFile(dir, "values", ".yaml");
		Files.writeString(file, new Yaml().dump(values), StandardCharsets.UTF_8);
		return file;
	}

	private static Map<String, Object> container(Map<String, Object> object) {
		return RenderedChart.container(podSpec(object));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
		return ((List<Map<String, Object>>) container.get("env")).stream()
			.filter(entry -> name.equals(entry.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in " + container.get("env")));
	}

}
