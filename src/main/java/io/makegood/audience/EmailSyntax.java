package io.makegood.audience;

import java.net.IDN;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A strict but practical syntax check for a recipient address: Jakarta Mail's strict RFC 822 parse, narrowed to
 * what real mailboxes look like. Rejected on top of the parser: display names, quoted or non-ASCII local parts
 * (SMTPUTF8 is rare, and a surprise at send time is worse than a reject now), IP literals, single-label or
 * numeric-TLD domains. Internationalised domains are accepted when they convert to ASCII (IDNA).
 * <p>
 * Problems describe the address, never quote it: they end up in reports.
 */
public final class EmailSyntax {

	private static final int MAX_LOCAL_PART = 64;

	private static final int MAX_DOMAIN = 253;

	/**
	 * Domain to its IDNA ASCII form (empty when invalid). Audiences repeat few domains many times, and IDNA showed in
	 * profiles of large snapshots.
	 */
	private static final Map<String, Optional<String>> ASCII_DOMAINS = new ConcurrentHashMap<>();

	private static final int MAX_CACHED_DOMAINS = 10_000;

	private EmailSyntax() {
	}

	public static boolean isValid(String email) {
		return problem(email).isEmpty();
	}

	/** @return why {@code email} is not a usable recipient address, or empty when it is */
	public static Optional<String> problem(String email) {
		if (email == null || email.isEmpty()) {
			return Optional.of("email is empty");
		}
		if (containsSpace(email)) {
			return Optional.of("email contains whitespace");
		}
		int at = email.indexOf('@');
		if (at < 0 || at != email.lastIndexOf('@')) {
			return Optional.of("email must contain exactly one @");
		}
		String local = email.substring(0, at);
		Optional<String> localProblem = localPartProblem(local);
		if (localProblem.isPresent()) {
			return localProblem;
		}
		String domain = email.substring(at + 1);
		if (domain.isEmpty()) {
			return Optional.of("email has an empty domain");
		}
		String asciiDomain = asciiDomain(domain);
		if (asciiDomain == null) {
			return Optional.of("email domain is not a valid host name");
		}
		Optional<String> domainProblem = domainProblem(asciiDomain);
		return domainProblem.isPresent() ? domainProblem : parserProblem(local, asciiDomain);
	}

	/** @return the domain as IDNA makes it ASCII, or null when it is no valid host name */
	private static String asciiDomain(String domain) {
		Optional<String> ascii = ASCII_DOMAINS.get(domain);
		if (ascii == null) {
			try {
				ascii = Optional.of(IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES));
			}
			catch (IllegalArgumentException ex) {
				ascii = Optional.empty();
			}
			if (ASCII_DOMAINS.size() < MAX_CACHED_DOMAINS) {
				ASCII_DOMAINS.put(domain, ascii);
			}
		}
		return ascii.orElse(null);
	}

	private static Optional<String> localPartProblem(String local) {
		if (local.isEmpty()) {
			return Optional.of("email has an empty local part");
		}
		if (local.length() > MAX_LOCAL_PART) {
			return Optional.of("email local part is longer than " + MAX_LOCAL_PART + " characters");
		}
		for (int i = 0; i < local.length(); i++) {
			char c = local.charAt(i);
			if (c <= 0x20 || c >= 0x7F) {
				return Optional.of("email local part is not ASCII");
			}
		}
		if (local.indexOf('"') >= 0) {
			return Optional.of("email local part is quoted");
		}
		return Optional.empty();
	}

	/** @param ascii the domain as IDNA made it ASCII */
	private static Optional<String> domainProblem(String ascii) {
		if (ascii.length() > MAX_DOMAIN) {
			return Optional.of("email domain is longer than " + MAX_DOMAIN + " characters");
		}
		int lastDot = ascii.lastIndexOf('.');
		if (lastDot <= 0 || lastDot == ascii.length() - 1 || ascii.contains("..")) {
			return Optional.of("email domain is not a dotted host name");
		}
		if (allDigits(ascii, lastDot + 1)) {
			return Optional.of("email domain is an IP address or has a numeric top-level domain");
		}
		return Optional.empty();
	}

	private static Optional<String> parserProblem(String local, String asciiDomain) {
		String address = local + "@" + asciiDomain;
		try {
			InternetAddress parsed = new InternetAddress(address, true);
			if (parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
				return Optional.of("email is not a bare address");
			}
			return Optional.empty();
		}
		catch (AddressException ex) {
			// the parser's own message names the rule broken and does not echo the address
			return Optional.of("email is not a valid address (" + ex.getMessage() + ")");
		}
	}

	private static boolean containsSpace(String email) {
		for (int i = 0; i < email.length();) {
			int codePoint = email.codePointAt(i);
			if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
				return true;
			}
			i += Character.charCount(codePoint);
		}
		return false;
	}

	private static boolean allDigits(String value, int from) {
		for (int i = from; i < value.length(); i++) {
			if (!Character.isDigit(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
