package io.makegood.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.makegood.MakegoodApplication;

/** Runs makegood's CLI in-process, as an operator would, against test infrastructure. */
public final class Makegood {

	private final List<String> settings = new ArrayList<>();

	private Makegood(TestDatabases.Database database, Path workDir) {
		settings.addAll(Arrays.asList(database.springArgs()));
		settings.add("--makegood.reports=" + workDir.resolve("reports"));
		settings.add("--makegood.delivery.pickup-dir=" + workDir.resolve("outbox"));
		settings.add("--makegood.delivery.journal-dir=" + workDir.resolve("data/journal").toAbsolutePath());
		settings.add("--makegood.delivery.rate=0");
		settings.add("--makegood.delivery.retry-delay=50ms");
	}

	public static Makegood on(TestDatabases.Database database, Path workDir) {
		return new Makegood(database, workDir);
	}

	/** Deliver over SMTP to a server on loopback. */
	public Makegood smtp(int port) {
		settings.add("--makegood.delivery.transport=smtp");
		settings.add("--spring.mail.host=127.0.0.1");
		settings.add("--spring.mail.port=" + port);
		return this;
	}

	/** Adds options; one naming a setting already present replaces it (Spring would join repeated values). */
	public Makegood with(String... options) {
		for (String option : options) {
			int eq = option.indexOf('=');
			if (eq > 0) {
				String key = option.substring(0, eq + 1);
				settings.removeIf(setting -> setting.startsWith(key));
			}
			settings.add(option);
		}
		return this;
	}

	/** @return the process exit code the command would have returned */
	public int run(String... command) {
		List<String> args = new ArrayList<>(Arrays.asList(command));
		args.addAll(settings);
		return MakegoodApplication.execute(args.toArray(String[]::new));
	}

}
