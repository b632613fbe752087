package io.makegood.delivery;

import java.util.function.Supplier;

import io.makegood.MakegoodProperties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Picks the transport named by {@code makegood.delivery.transport}. */
public final class MailTransports {

	private MailTransports() {
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
				yield new SmtpTransport(SmtpSessions.from(sender));
			}
			default -> throw new IllegalStateException("Unknown makegood.delivery.transport '" + delivery.transport()
					+ "'; use pickup or smtp");
		};
	}

}
