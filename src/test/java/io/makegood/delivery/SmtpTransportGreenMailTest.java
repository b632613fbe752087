package io.makegood.delivery;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpTransportGreenMailTest {

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@Test
	void sendsManyMessagesOverOneSessionEachToExactlyOneRecipient() throws Exception {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(greenMail.getSmtp().getPort());
		MimeComposer composer = new MimeComposer("Example Streaming <care@example.com>", null);

		long start = System.nanoTime();
		try (MailTransport transport = new SmtpTransport(SmtpSessions.from(sender));
				TransportSession session = transport.openSession()) {
			for (int i = 0; i < 50; i++) {
				String accountId = "A-" + i;
				String messageId = MessageIds.of("outage-1", accountId, "example.com");
				String recipient = "customer" + i + "@example.org";
				byte[] content = composer.compose("outage-1", messageId, recipient, "Customer " + i,
						new RenderedMessage("We're sorry, Désolé " + i, "Text " + i, "<p>Html " + i + "</p>"));
				SendOutcome outcome = session
					.send(new OutgoingMessage("outage-1", accountId, "bounces@example.com", recipient, messageId,
							content));
				assertThat(outcome.kind()).as(outcome.reply()).isEqualTo(SendOutcome.Kind.ACCEPTED);
			}
		}
		System.out.printf("GreenMail: 50 messages in %d ms%n", (System.nanoTime() - start) / 1_000_000);

		MimeMessage[] received = greenMail.getReceivedMessages();
		assertThat(received).hasSize(50);
		for (MimeMessage message : received) {
			assertThat(message.getRecipients(Message.RecipientType.TO)).hasSize(1);
			assertThat(message.getRecipients(Message.RecipientType.CC)).isNull();
			String recipient = ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
			String index = recipient.substring("customer".length(), recipient.indexOf('@'));
			assertThat(message.getMessageID()).isEqualTo(MessageIds.of("outage-1", "A-" + index, "example.com"));
			assertThat(message.getSubject()).isEqualTo("We're sorry, Désolé " + index);
		}
		for (int i = 0; i < 50; i++) {
			assertThat(greenMail.getReceivedMessagesForDomain("customer" + i + "@example.org")).hasSize(1);
		}
	}

}
