package io.makegood.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.makegood.support.SmtpSink;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipelined path against a real server that offers PIPELINING (Postfix's smtp-sink): the same bytes arrive
 * as over the provider's own path, and every reply still lands in the right outcome.
 */
class SmtpTransportPipeliningTest {

	@TempDir
	Path workDir;

	@Test
	void pipelinedMessagesArriveWhole() throws Exception {
		try (SmtpSink sink = SmtpSink.start(workDir)) {
			byte[] content = ("Subject: dots\r\n\r\n.leading dot\r\nbare\nline feed\r\n..two\r\nlast line without break")
				.getBytes(StandardCharsets.US_ASCII);
			try (TransportSession session = session(sink.port())) {
				for (int i = 0; i < 3; i++) {
					assertThat(session.send(message("r" + i + "@example.org", content)).kind())
						.isEqualTo(SendOutcome.Kind.ACCEPTED);
				}
			}

			List<String> dumps = sink.dumps();
			assertThat(dumps).hasSize(3);
			for (int i = 0; i < 3; i++) {
				String recipient = "X-Rcpt-Args: <r" + i + "@example.org>\n";
				assertThat(dumps).filteredOn(dump -> dump.contains(recipient))
					.singleElement(InstanceOfAssertFactories.STRING)
					.contains("X-Mail-Args: <bounces@example.com>\n")
					// the dump ends each message with an empty line of its own
					.endsWith("Subject: dots\n\n.leading dot\nbare\nline feed\n..two\nlast line without break\n\n");
			}
		}
	}

	/** The pipeline carries MAIL, RCPT and DATA together: a refusal of RCPT or of DATA is read as that reply. */
	@ParameterizedTest
	@ValueSource(strings = { "rcpt", "data" })
	void aRefusalIsTransientOrPermanentAsTheServerSays(String command) throws Exception {
		try (SmtpSink busy = SmtpSink.start(workDir, "-r", command);
				SmtpSink refusing = SmtpSink.start(workDir, "-f", command);
				TransportSession toBusy = session(busy.port());
				TransportSession toRefusing = session(refusing.port())) {
			SendOutcome later = toBusy.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));
			SendOutcome never = toRefusing.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));
			// the session survives a refusal: the next message goes over the same connection
			SendOutcome neverAgain = toRefusing.send(message("b@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));

			assertThat(later.kind()).as(later.reply()).isEqualTo(SendOutcome.Kind.TRANSIENT);
			assertThat(later.reply()).startsWith("4");
			assertThat(never.kind()).as(never.reply()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(never.reply()).startsWith("5");
			assertThat(neverAgain.kind()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(busy.dumps()).isEmpty();
			assertThat(refusing.dumps()).isEmpty();
		}
	}

	@Test
	void aRefusedSenderIsReportedWithItsOwnReply() throws Exception {
		try (SmtpSink refusing = SmtpSink.start(workDir, "-f", "mail");
				TransportSession session = session(refusing.port())) {
			SendOutcome first = session.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));
			SendOutcome second = session.send(message("b@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));

			assertThat(first.kind()).as(first.reply()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(second.kind()).as(second.reply()).isEqualTo(SendOutcome.Kind.PERMANENT);
			assertThat(refusing.dumps()).isEmpty();
		}
	}

	@Test
	void aServerThatHangsUpAfterTheDataLeavesTheMessageInDoubt() throws Exception {
		try (SmtpSink sink = SmtpSink.start(workDir, "-q", "."); TransportSession session = session(sink.port())) {
			SendOutcome outcome = session.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));

			assertThat(outcome.kind()).as(outcome.reply()).isEqualTo(SendOutcome.Kind.IN_DOUBT);
		}
	}

	@Test
	void aServerThatHangsUpBeforeTheDataLeavesItUnsent() throws Exception {
		try (SmtpSink sink = SmtpSink.start(workDir, "-q", "rcpt"); TransportSession session = session(sink.port())) {
			SendOutcome outcome = session.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));

			assertThat(outcome.kind()).as(outcome.reply()).isEqualTo(SendOutcome.Kind.TRANSIENT);
		}
	}

	@Test
	void aServerShuttingDownIsTransient() throws Exception {
		try (SmtpSink sink = SmtpSink.start(workDir, "-Q", "mail"); TransportSession session = session(sink.port())) {
			SendOutcome outcome = session.send(message("a@example.org", "Subject: x\r\n\r\nx\r\n".getBytes()));

			assertThat(outcome.kind()).as(outcome.reply()).isEqualTo(SendOutcome.Kind.TRANSIENT);
			assertThat(outcome.reply()).startsWith("421");
		}
	}

	@Test
	void withoutPipeliningOnOfferTheProviderPathSendsTheSameBytes() throws Exception {
		try (SmtpSink sink = SmtpSink.start(workDir, "-p"); TransportSession session = session(sink.port())) {
			byte[] content = "Subject: dots\r\n\r\n.leading dot\r\nbare\nline feed\r\n".getBytes(StandardCharsets.US_ASCII);
			assertThat(session.send(message("a@example.org", content)).kind()).isEqualTo(SendOutcome.Kind.ACCEPTED);

			assertThat(sink.dumps()).singleElement(InstanceOfAssertFactories.STRING)
				.endsWith("Subject: dots\n\n.leading dot\nbare\nline feed\n\n");
		}
	}

	private static TransportSession session(int port) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		return new SmtpTransport(SmtpSessions.from(sender)).openSession();
	}

	private static OutgoingMessage message(String recipient, byte[] content) {
		return new OutgoingMessage("outage-1", recipient, "bounces@example.com", recipient, "<id@example.com>", content);
	}

}
