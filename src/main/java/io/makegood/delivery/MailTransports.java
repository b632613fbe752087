package io.makegood.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

import io.makegood.MakegoodProperties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Picks the transport named by {@code makegood.delivery.transport}. */
public final class MailTransports {

	private MailTransports() {
	}

	static boolean isLoopback(String host) {
		if (host == null) {
			return false;
		}
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	public static MailTransport create(MakegoodProperties.Delivery delivery, Supplier<JavaMailSenderImpl> mailSender) {
		return switch (delivery.transport()) {
			case "pickup" -> new PickupDirectoryTransport(delivery.pickupDir());
			case "smtp" -> {
				JavaMailSenderImpl sender = mailSender.get();
				if (sender == null) {
					throw new IllegalStateException(
							"makegood.delivery.transport=smtp needs an SMTP server: set spring.mail.host (and port)");
				}
				if (delivery.requireTls() && !isLoopback(sender.getHost())) {
					// credentials and customer data never cross a network in clear text unless an operator says so
					sender.getJavaMailProperties().putIfAbsent("mail.smtp.starttls.enable", "true");
					sender.getJavaMailProperties().putIfAbsent("mail.smtp.starttls.required", "true");
				}
				yield new SmtpTransport(SmtpSessions.from(sender));
			}
			default -> throw new IllegalStateException("Unknown makegood.delivery.transport '" + delivery.transport()
					+ "'; use pickup or smtp");
		};
	}

}
