package io.makegood.delivery;

import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;

/**
 * Reads SMTP reply codes and texts out of jakarta.mail exceptions. The provider's exception types
 * (SMTPSendFailedException, SMTPAddressFailedException) are not on the compile classpath, so the code is read
 * through their public {@code getReturnCode()} and, failing that, from the reply text itself.
 */
final class SmtpReplies {

	static final int NO_REPLY = -1;

	private static final int MAX_REPLY_CHARS = 400;

	private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5]\\d\\d)[ -]");

	private SmtpReplies() {
	}

	/** The first SMTP reply code in the exception chain, or {@link #NO_REPLY} when the server never answered. */
	static int replyCode(Throwable failure) {
		for (Throwable t = failure; t != null; t = next(t)) {
			int code = returnCode(t);
			if (code >= 200 && code < 600) {
				return code;
			}
		}
		for (Throwable t = failure; t != null; t = next(t)) {
			Matcher matcher = LEADING_CODE.matcher(String.valueOf(t.getMessage()));
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
		}
		return NO_REPLY;
	}

	/** The server's reply from the chain (else the first message), one line, bounded, recipient masked. */
	static String replyText(Throwable failure, String recipient) {
		String fallback = null;
		for (Throwable t = failure; t != null; t = next(t)) {
			String message = t.getMessage();
			if (message != null && LEADING_CODE.matcher(message).find()) {
				return clean(message, recipient);
			}
			if (fallback == null && message != null) {
				fallback = message;
			}
		}
		return clean((fallback != null) ? fallback : failure.getClass().getSimpleName(), recipient);
	}

	static String clean(String reply, String recipient) {
		String oneLine = reply.strip().replaceAll("\\s*[\\r\\n]+\\s*", " | ");
		String masked = mask(oneLine, recipient);
		return (masked.length() > MAX_REPLY_CHARS) ? masked.substring(0, MAX_REPLY_CHARS) + "..." : masked;
	}

	// Servers often echo the address ("550 5.1.1 <bob@example.com>: user unknown"); replies end up in the
	// database and in logs, where addresses must not.
	static String mask(String reply, String recipient) {
		if (recipient == null || recipient.isBlank()) {
			return reply;
		}
		String address = recipient.strip();
		String masked = replaceIgnoreCase(reply, address, "[recipient]");
		int at = address.lastIndexOf('@');
		if (at >= 3) {
			masked = replaceIgnoreCase(masked, address.substring(0, at), "[recipient]");
		}
		return masked;
	}

	private static String replaceIgnoreCase(String text, String target, String replacement) {
		return Pattern.compile(Pattern.quote(target), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
			.matcher(text)
			.replaceAll(Matcher.quoteReplacement(replacement));
	}

	private static int returnCode(Throwable t) {
		try {
			Method method = t.getClass().getMethod("getReturnCode");
			Object value = method.invoke(t);
			return (value instanceof Integer code) ? code : NO_REPLY;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return NO_REPLY;
		}
	}

	private static Throwable next(Throwable t) {
		if (t instanceof MessagingException mex && mex.getNextException() != null) {
			return mex.getNextException();
		}
		return (t.getCause() != t) ? t.getCause() : null;
	}

}
