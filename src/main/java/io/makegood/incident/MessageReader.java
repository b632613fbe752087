package io.makegood.incident;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.makegood.incident.IncidentSpec.Message;

/** Reads {@code message}: which template to render and who the email comes from. */
final class MessageReader {

	static final List<String> KEYS = List.of("template", "from", "reply-to", "support-phone");

	private static final Pattern TEMPLATE = Pattern.compile("[a-z0-9][a-z0-9_-]*");

	private static final int MAX_PHONE_LENGTH = 40;

	private MessageReader() {
	}

	static Optional<Message> read(SpecSection message) {
		Optional<String> template = message.requiredText("template").filter((name) -> {
			boolean valid = TEMPLATE.matcher(name).matches();
			if (!valid) {
				message.problem("template", "must match " + TEMPLATE.pattern()
						+ " (a template directory name: lower case letters, digits, '-' and '_')");
			}
			return valid;
		});
		Optional<String> from = message.requiredText("from").filter((value) -> isMailbox(message, "from", value));
		Optional<String> replyTo = message.text("reply-to").map(String::strip);
		boolean replyToValid = replyTo.map((value) -> isMailbox(message, "reply-to", value)).orElse(true);
		Optional<String> phone = message.text("support-phone").map(String::strip);
		boolean phoneValid = phone.map((value) -> isPhone(message, value)).orElse(true);
		if (template.isEmpty() || from.isEmpty() || !replyToValid || !phoneValid) {
			return Optional.empty();
		}
		return Optional.of(new Message(template.get(), from.get(), replyTo.orElse(null), phone.orElse(null)));
	}

	private static boolean isMailbox(SpecSection message, String key, String value) {
		if (value.isEmpty()) {
			message.problem(key, "must not be empty");
			return false;
		}
		Optional<String> problem = Mailbox.problemWith(value);
		problem.ifPresent((text) -> message.problem(key, text));
		return problem.isEmpty();
	}

	private static boolean isPhone(SpecSection message, String value) {
		if (value.isEmpty() || value.length() > MAX_PHONE_LENGTH || value.chars().anyMatch(Character::isISOControl)
				|| value.chars().noneMatch(Character::isDigit)) {
			message.problem("support-phone",
					"must be a phone number of at most " + MAX_PHONE_LENGTH + " characters on one line");
			return false;
		}
		return true;
	}

}
