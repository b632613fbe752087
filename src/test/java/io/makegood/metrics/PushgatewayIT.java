package io.makegood.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.makegood.ops.ExitCodes;
import io.makegood.support.CsvIncident;
import io.makegood.support.PackagedMakegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CLI run is over before Prometheus would scrape it, so it pushes its metrics to a Pushgateway when it exits
 * (the CronJob's settings in helm/makegood). A stand-in Pushgateway on loopback records what the packaged jar
 * pushes.
 */
class PushgatewayIT {

	record Push(String method, String path, String body) {
	}

	final List<Push> pushes = new CopyOnWriteArrayList<>();

	HttpServer gateway;

	@TempDir
	Path dir;

	@BeforeEach
	void startGateway() throws IOException {
		gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		gateway.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		gateway.start();
	}

	@AfterEach
	void stopGateway() {
		gateway.stop(0);
	}

	@Test
	void aRunPushesItsMessageCountsWhenItExits() throws Exception {
		CsvIncident incident = CsvIncident.write(dir.resolve("jobs"), "pushed", 3);
		PackagedMakegood makegood = PackagedMakegood.on(TestDatabases.postgres(), dir)
			.with("--management.prometheus.metrics.export.pushgateway.enabled=true",
					"--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:"
							+ gateway.getAddress().getPort(),
					"--management.prometheus.metrics.export.pushgateway.job=makegood-run",
					"--management.prometheus.metrics.export.pushgateway.shutdown-operation=post");

		try (PackagedMakegood.Child run = makegood.start("run", "run", incident.spec().toString())) {
			assertThat(run.waitFor(120)).as(run.output()).isEqualTo(ExitCodes.DONE);
		}

		assertThat(pushes).as("pushes received").isNotEmpty();
		Push last = pushes.get(pushes.size() - 1);
		assertThat(last.path()).startsWith("/metrics/job/makegood-run");
		// Prometheus' protobuf format (the default): names and label values are plain UTF-8 inside it
		assertThat(last.method()).isEqualTo("POST");
		assertThat(last.body()).contains("makegood_messages", "makegood_audience_accounts", "makegood_credits_granted")
			.contains("incident", "pushed", "outcome", "accepted")
			.doesNotContain("@example.org");
	}

}
