package io.makegood.audience;

import java.util.Locale;
import java.util.Objects;

/**
 * The key that deduplicates and suppresses recipients ({@code email_key} columns): two addresses with the same
 * key are one mailbox.
 * <p>
 * Surrounding whitespace is trimmed, and both the domain and the local part are lower-cased. RFC 5321 lets a
 * server treat local parts case-sensitively, but practically every provider does not, and the costs are
 * asymmetric: treating {@code Ann@x.com} and {@code ann@x.com} as two mailboxes sends one person two emails or
 * ignores an unsubscribe. Nothing else is stripped (no dots, no {@code +tags}): those rules are provider-specific,
 * and merging two real mailboxes would hide one customer's message inside another's.
 * <p>
 * A plain {@code String}, not a wrapper type, on purpose: it is bound straight into SQL, where a wrapper's
 * {@code toString()} would be a silent disaster.
 */
public final class EmailKey {

	private EmailKey() {
	}

	public static String of(String email) {
		Objects.requireNonNull(email, "email");
		return email.strip().toLowerCase(Locale.ROOT);
	}

}
