package io.makegood.incident;

import java.util.Optional;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Checks sender mailboxes strictly, because a lenient parse here becomes a bounce or a spoofing flag later. */
final class Mailbox {

	private Mailbox() {
	}

	/**
	 * @return why {@code value} is not exactly one RFC 5322 mailbox with a domain, or empty when it is. The
	 * address itself is never echoed, so the problem text is safe to log.
	 */
	static Optional<String> problemWith(String value) {
		if (value.chars().anyMatch(Character::isISOControl)) {
			return Optional.of("must be one line without control characters");
		}
		InternetAddress[] addresses;
		try {
			addresses = InternetAddress.parse(value, true);
		}
		catch (AddressException ex) {
			return Optional.of("is not a valid RFC 5322 mailbox: " + reason(ex));
		}
		if (addresses.length != 1) {
			return Optional.of("must be exactly one mailbox, found " + addresses.length);
		}
		// InternetAddress ignores words after the closing '>', which RFC 5322 does not allow.
		if (value.contains("<") && !value.strip().endsWith(">")) {
			return Optional.of("is not a valid RFC 5322 mailbox: nothing may follow the closing '>'");
		}
		InternetAddress address = addresses[0];
		if (address.isGroup()) {
			return Optional.of("must be a single mailbox, not a group");
		}
		try {
			address.validate();
		}
		catch (AddressException ex) {
			return Optional.of("is not a valid RFC 5322 mailbox: " + reason(ex));
		}
		String email = address.getAddress();
		int at = email.lastIndexOf('@');
		if (at < 1 || at == email.length() - 1) {
			return Optional.of("must include a domain, e.g. care@example.com");
		}
		return Optional.empty();
	}

	/** AddressException appends the offending text to its message; keep only the reason. */
	private static String reason(AddressException ex) {
		String message = String.valueOf(ex.getMessage());
		int quoted = message.indexOf(" in string ``");
		return (quoted >= 0) ? message.substring(0, quoted) : message;
	}

}
