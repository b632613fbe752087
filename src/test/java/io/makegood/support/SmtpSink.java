package io.makegood.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postfix's {@code smtp-sink} on loopback: a real server that offers PIPELINING, with its own fault switches
 * ({@code -r} 4xx, {@code -f} 5xx, {@code -q} hang up, {@code -p} no PIPELINING). Each message it accepts is dumped
 * to a file with its envelope, so a test sees exactly the bytes that crossed the wire. .ci/run installs Postfix.
 */
public final class SmtpSink implements AutoCloseable {

	private static final Path BINARY = Path.of("/usr/sbin/smtp-sink");

	private final Process process;

	private final Path dumps;

	private final int port;

	private SmtpSink(Process process, Path dumps, int port) {
		this.process = process;
		this.dumps = dumps;
		this.port = port;
	}

	/** @param options smtp-sink switches, e.g. {@code "-r", "rcpt"} */
	public static SmtpSink start(Path workDir, String... options) throws IOException, InterruptedException {
		assertThat(BINARY).as("Postfix's smtp-sink (apt-get install postfix; .ci/run does)").isExecutable();
		Path dumps = Files.createDirectories(workDir.resolve("sink-" + System.nanoTime()));
		// smtp-sink drops root privileges to nobody, who must be able to reach and write the dumps
		Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-u", "nobody", "-d",
				dumps.toAbsolutePath() + "/%M%S."));
		command.addAll(List.of(options));
		command.addAll(List.of("127.0.0.1:" + port, "64"));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(workDir.resolve("smtp-sink.log").toFile())
			.start();
		awaitListening(process, port);
		return new SmtpSink(process, dumps, port);
	}

	public int port() {
		return this.port;
	}

	/** Every accepted message as dumped: envelope lines (X-Mail-Args, X-Rcpt-Args) then the content. */
	public List<String> dumps() throws IOException {
		try (Stream<Path> files = Files.list(this.dumps)) {
			List<String> all = new ArrayList<>();
			for (Path file : files.sorted().toList()) {
				all.add(Files.readString(file, StandardCharsets.ISO_8859_1));
			}
			return all;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void awaitListening(Process process, int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return;
			}
			catch (IOException notYet) {
				assertThat(process.isAlive()).as("smtp-sink started").isTrue();
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("smtp-sink did not listen on " + port);
	}

	@Override
	public void close() {
		this.process.destroy();
	}

}
