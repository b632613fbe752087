package io.makegood.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PickupDirectoryTransportTest {

	@TempDir
	Path directory;

	private final MimeComposer composer = new MimeComposer("Care <care@example.com>", null);

	@Test
	void writesOneParsableFilePerAccountAndNeverRewritesIt() throws Exception {
		PickupDirectoryTransport transport = new PickupDirectoryTransport(this.directory);
		try (TransportSession session = transport.openSession()) {
			for (int i = 0; i < 3; i++) {
				assertThat(session.send(message("A-" + i, "Hello " + i)).kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			}
			SendOutcome again = session.send(message("A-0", "Hello again"));
			assertThat(again.kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			assertThat(again.reply()).contains("already");
		}

		Path file = transport.fileFor("outage-1", "A-0");
		assertThat(file.getParent()).isEqualTo(this.directory.resolve("outage-1"));
		assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}\\.eml").doesNotContain("A-0");
		try (Stream<Path> files = Files.list(this.directory.resolve("outage-1"))) {
			assertThat(files.map((p) -> p.getFileName().toString())).hasSize(3).allMatch((n) -> n.endsWith(".eml"));
		}
		MimeMessage parsed = MimeComposerTest.parse(Files.readAllBytes(file));
		assertThat(parsed.getSubject()).isEqualTo("Hello 0");
		assertThat(parsed.getMessageID()).isEqualTo(MessageIds.of("outage-1", "A-0", "example.com"));
	}

	private OutgoingMessage message(String accountId, String subject) {
		String messageId = MessageIds.of("outage-1", accountId, "example.com");
		String recipient = accountId.toLowerCase() + "@example.org";
		byte[] content = this.composer.compose("outage-1", messageId, recipient, null,
				new RenderedMessage(subject, "text", "<p>html</p>"));
		return new OutgoingMessage("outage-1", accountId, "bounces@example.com", recipient, messageId, content);
	}

}
