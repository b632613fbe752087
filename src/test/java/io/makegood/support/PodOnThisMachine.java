package io.makegood.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A rendered pod's container run as a process of the packaged jar, as the image's launcher would run it: its
 * ConfigMap volumes written out at their mount paths (with their items' paths), its emptyDirs as directories, its
 * environment with each secretKeyRef looked up in the Secrets given, its args, and its working directory.
 * The chart's {@code appDir} must point into the test's own directory, since the mount paths are absolute.
 */
public final class PodOnThisMachine {

	private final List<String> args = new ArrayList<>();

	private final Map<String, String> env = new LinkedHashMap<>();

	private final Path workingDir;

	private final String javaOpts;

	@SuppressWarnings("unchecked")
	public PodOnThisMachine(RenderedChart chart, Map<String, Object> podSpec,
			Map<String, Map<String, String>> secrets) {
		Map<String, Object> container = RenderedChart.container(podSpec);
		this.workingDir = Path.of((String) container.get("workingDir"));
		this.args.addAll((List<String>) container.get("args"));
		for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
			String name = (String) variable.get("name");
			Map<String, Object> secretRef = (Map<String, Object>) RenderedChart.at(variable, "valueFrom",
					"secretKeyRef");
			env.put(name, secretRef == null ? (String) variable.get("value") : secret(secrets, secretRef));
		}
		this.javaOpts = env.getOrDefault("MAKEGOOD_JAVA_OPTS", "");
		List<Map<String, Object>> volumes = (List<Map<String, Object>>) podSpec.get("volumes");
		for (Map<String, Object> mount : (List<Map<String, Object>>) container.get("volumeMounts")) {
			Map<String, Object> volume = volumes.stream()
				.filter(candidate -> mount.get("name").equals(candidate.get("name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("volumeMount " + mount.get("name") + " has no volume"));
			mount(chart, volume, Path.of((String) mount.get("mountPath")));
		}
	}

	/** The container's environment; a test may add to it (such as a loopback-only bind address). */
	public Map<String, String> env() {
		return env;
	}

	public List<String> args() {
		return args;
	}

	public Path workingDir() {
		return workingDir;
	}

	/** Runs the container's command to its end; the process's output goes to {@code <workingDir>/<logName>.log}. */
	public Result run(String logName, long timeoutSeconds) throws IOException, InterruptedException {
		Path log = workingDir.resolve(logName + ".log");
		Process process = start(log);
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("the pod's command ran over " + timeoutSeconds + " s:\n" + Files.readString(log));
		}
		return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}

	/** Starts the container's command (a server's) and leaves it running; its output goes to {@code log}. */
	public Process start(Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		for (String option : javaOpts.trim().split("\\s+")) {
			if (!option.isEmpty()) {
				command.add(option);
			}
		}
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-jar");
		command.add(PackagedMakegood.JAR.toAbsolutePath().toString());
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		// nothing of this machine's own configuration may stand in for what the chart failed to set
		builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("MAKEGOOD_"));
		builder.environment().putAll(env);
		return builder.start();
	}

	public record Result(int exitCode, String output) {
	}

	@SuppressWarnings("unchecked")
	private static void mount(RenderedChart chart, Map<String, Object> volume, Path mountPath) {
		try {
			Files.createDirectories(mountPath);
			Map<String, Object> configMap = (Map<String, Object>) volume.get("configMap");
			if (configMap == null) {
				return; // emptyDir or a claim: an empty directory either way
			}
			Map<String, String> data = chart.configMap((String) configMap.get("name"));
			List<Map<String, String>> items = (List<Map<String, String>>) configMap.get("items");
			if (items == null) {
				for (Map.Entry<String, String> entry : data.entrySet()) {
					write(mountPath.resolve(entry.getKey()), entry.getValue());
				}
				return;
			}
			for (Map<String, String> item : items) {
				String content = data.get(item.get("key"));
				if (content == null) {
					throw new AssertionError(
							"item " + item.get("key") + " is not in ConfigMap " + configMap.get("name"));
				}
				write(mountPath.resolve(item.get("path")), content);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
	}

	private static String secret(Map<String, Map<String, String>> secrets, Map<String, Object> ref) {
		Map<String, String> secret = secrets.get((String) ref.get("name"));
		if (secret == null || !secret.containsKey((String) ref.get("key"))) {
			throw new AssertionError("the pod needs key " + ref.get("key") + " of Secret " + ref.get("name"));
		}
		return secret.get((String) ref.get("key"));
	}

}
