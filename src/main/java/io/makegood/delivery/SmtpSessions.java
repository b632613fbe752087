package io.makegood.delivery;

import java.util.Properties;

import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;

import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Turns Spring Boot's mail configuration ({@code spring.mail.*}, which Boot binds into a
 * {@link JavaMailSenderImpl}) into a jakarta.mail {@link Session} for {@link SmtpTransport}, so operators
 * configure SMTP in the one place they already know.
 */
public final class SmtpSessions {

	private SmtpSessions() {
	}

	public static Session from(JavaMailSenderImpl sender) {
		String protocol = (sender.getProtocol() != null) ? sender.getProtocol() : "smtp";
		String prefix = "mail." + protocol + ".";
		Properties properties = new Properties();
		properties.putAll(sender.getJavaMailProperties());
		properties.setProperty("mail.transport.protocol", protocol);
		if (sender.getHost() != null) {
			properties.setProperty(prefix + "host", sender.getHost());
		}
		if (sender.getPort() > 0) {
			properties.setProperty(prefix + "port", String.valueOf(sender.getPort()));
		}
		// a stalled server must cost seconds, not a hung job: the provider's own defaults are "wait forever"
		properties.putIfAbsent(prefix + "connectiontimeout", String.valueOf(SmtpTransport.DEFAULT_CONNECT_TIMEOUT_MS));
		properties.putIfAbsent(prefix + "timeout", String.valueOf(SmtpTransport.DEFAULT_READ_TIMEOUT_MS));
		properties.putIfAbsent(prefix + "writetimeout", String.valueOf(SmtpTransport.DEFAULT_WRITE_TIMEOUT_MS));
		String username = sender.getUsername();
		String password = sender.getPassword();
		if (username == null || username.isEmpty()) {
			return Session.getInstance(properties);
		}
		properties.setProperty(prefix + "user", username);
		properties.putIfAbsent(prefix + "auth", "true");
		return Session.getInstance(properties, new Authenticator() {
			@Override
			protected PasswordAuthentication getPasswordAuthentication() {
				return new PasswordAuthentication(username, (password != null) ? password : "");
			}
		});
	}

}
