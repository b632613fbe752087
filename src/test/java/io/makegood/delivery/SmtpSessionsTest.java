package io.makegood.delivery;

import java.net.InetAddress;
import java.util.Properties;

import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpSessionsTest {

	@Test
	void takesSpringMailSettingsAndAddsTimeouts() {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("smtp.example.com");
		sender.setPort(587);
		sender.setUsername("relay-user");
		sender.setPassword("s3cret");
		Properties extra = new Properties();
		extra.setProperty("mail.smtp.starttls.enable", "true");
		extra.setProperty("mail.smtp.timeout", "5000");
		sender.setJavaMailProperties(extra);

		Session session = SmtpSessions.from(sender);

		assertThat(session.getProperty("mail.smtp.host")).isEqualTo("smtp.example.com");
		assertThat(session.getProperty("mail.smtp.port")).isEqualTo("587");
		assertThat(session.getProperty("mail.smtp.user")).isEqualTo("relay-user");
		assertThat(session.getProperty("mail.smtp.auth")).isEqualTo("true");
		assertThat(session.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
		assertThat(session.getProperty("mail.smtp.timeout")).isEqualTo("5000");
		assertThat(session.getProperty("mail.smtp.connectiontimeout")).isEqualTo("10000");
		assertThat(session.getProperty("mail.smtp.writetimeout")).isEqualTo("30000");
		PasswordAuthentication credentials = session.requestPasswordAuthentication(InetAddress.getLoopbackAddress(),
				587, "smtp", null, "relay-user");
		assertThat(credentials.getPassword()).isEqualTo("s3cret");
	}

	@Test
	void needsNoCredentials() {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("localhost");

		Session session = SmtpSessions.from(sender);

		assertThat(session.getProperty("mail.smtp.auth")).isNull();
		assertThat(session.getProperty("mail.transport.protocol")).isEqualTo("smtp");
	}

}
