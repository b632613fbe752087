package io.makegood.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged application ({@code target/makegood.jar}) as a separate process, as an operator or a
 * scheduler would, so a test can kill it with SIGKILL. Its output goes to a log file under the work directory.
 */
public final class PackagedMakegood {

	public static final Path JAR = Path.of("target", "makegood.jar");

	private final List<String> settings = new ArrayList<>();

	private final Path workDir;

	private PackagedMakegood(TestDatabases.Database database, Path workDir) {
		this.workDir = workDir;
		settings.addAll(Arrays.asList(database.springArgs()));
		settings.add("--makegood.reports=" + workDir.resolve("reports").toAbsolutePath());
		settings.add("--makegood.delivery.pickup-dir=" + workDir.resolve("outbox").toAbsolutePath());
		settings.add("--makegood.delivery.journal-dir=" + workDir.resolve("data/journal").toAbsolutePath());
	}

	public static PackagedMakegood on(TestDatabases.Database database, Path workDir) {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR.toAbsolutePath() + " does not exist: run the package phase first");
		}
		return new PackagedMakegood(database, workDir);
	}

	/** Deliver over SMTP to a server on loopback. */
	public PackagedMakegood smtp(int port) {
		settings.add("--makegood.delivery.transport=smtp");
		settings.add("--spring.mail.host=127.0.0.1");
		settings.add("--spring.mail.port=" + port);
		return this;
	}

	public PackagedMakegood with(String... options) {
		settings.addAll(Arrays.asList(options));
		return this;
	}

	/** Starts {@code java -jar target/makegood.jar <command> <settings>} with the work directory as its cwd. */
	public Child start(String logName, String... command) {
		List<String> args = new ArrayList<>();
		args.add(ProcessHandle.current().info().command().orElse("java"));
		args.add("-Xmx256m");
		args.add("-XX:TieredStopAtLevel=1");
		args.add("-jar");
		args.add(JAR.toAbsolutePath().toString());
		args.addAll(Arrays.asList(command));
		args.addAll(settings);
		Path log = workDir.resolve(logName + ".log").toAbsolutePath();
		try {
			Files.createDirectories(workDir);
			Process process = new ProcessBuilder(args).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new Child(process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A running makegood process. */
	public record Child(Process process, Path log) implements AutoCloseable {

		public long pid() {
			return process.pid();
		}

		public boolean isAlive() {
			return process.isAlive();
		}

		/** SIGKILL on Linux: no shutdown hook, no finally block, no last commit. */
		public void kill() throws InterruptedException {
			process.destroyForcibly();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("process " + pid() + " survived SIGKILL");
			}
		}

		/** @return the exit code, or throws if the process is still running after the timeout */
		public int waitFor(long seconds) throws InterruptedException {
			if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
				throw new IllegalStateException("makegood did not finish within " + seconds + "s; log:\n" + output());
			}
			return process.exitValue();
		}

		public String output() {
			try {
				return Files.readString(log, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(no log: " + ex.getMessage() + ")";
			}
		}

		@Override
		public void close() {
			if (process.isAlive()) {
				process.destroyForcibly();
			}
		}

	}

}
