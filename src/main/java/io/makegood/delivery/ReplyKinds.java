package io.makegood.delivery;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a failure reply means beyond its class: "slow down", or "this mailbox does not exist". */
public final class ReplyKinds {

	private static final Pattern UNKNOWN_USER = Pattern.compile(
			"^55[0-3][ -].*(5\\.1\\.1|5\\.1\\.0|user unknown|unknown user|no such user|does not exist"
					+ "|mailbox unavailable|mailbox not found|recipient not found|invalid recipient)",
			Pattern.CASE_INSENSITIVE);

	private ReplyKinds() {
	}

	/** 421 / 454 or any "throttl…" reply: the server wants us slower, the message itself is fine. */
	public static boolean isThrottling(String reply) {
		if (reply == null) {
			return false;
		}
		String text = reply.strip();
		return text.startsWith("421") || text.startsWith("454") || text.toLowerCase(Locale.ROOT).contains("throttl");
	}

	/** 550 5.1.1-style "no such user": the address will never work, so it is suppressed for later incidents. */
	public static boolean isUnknownRecipient(String reply) {
		return reply != null && UNKNOWN_USER.matcher(reply.strip()).find();
	}

}
