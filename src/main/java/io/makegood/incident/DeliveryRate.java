package io.makegood.incident;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a send rate written the way operators say it ({@code 50/s}, {@code 600/m}, {@code 10000/h}). */
final class DeliveryRate {

	private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*([smh])");

	private DeliveryRate() {
	}

	/** @return messages per second, or empty when {@code text} is not {@code N/s}, {@code N/m} or {@code N/h} */
	static Optional<Double> perSecond(String text) {
		Matcher matcher = RATE.matcher(text.strip());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		double count = new BigDecimal(matcher.group(1)).doubleValue();
		double seconds = switch (matcher.group(2)) {
			case "s" -> 1;
			case "m" -> 60;
			default -> 3600;
		};
		return Optional.of(count / seconds);
	}

}
