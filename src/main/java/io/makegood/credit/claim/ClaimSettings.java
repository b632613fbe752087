package io.makegood.credit.claim;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator settings for claim links, reminders and billing ({@code makegood.public-base-url},
 * {@code makegood.claims.*}, {@code makegood.billing.*}). Bound beside MakegoodProperties from the same prefix.
 *
 * @param publicBaseUrl where customers reach {@code makegood serve}, e.g. {@code https://care.example.com};
 * claim links are {@code <publicBaseUrl>/claim/<token>}
 */
@ConfigurationProperties("makegood")
public record ClaimSettings(String publicBaseUrl, @DefaultValue Claims claims, @DefaultValue Billing billing) {

	/**
	 * @param remindDays remind holders whose unclaimed credit expires within this many days
	 * @param reminderTemplate template set of reminders, unless {@code <message.template>-reminder} exists
	 * @param attemptsPerMinute claim page requests allowed per client address and minute
	 */
	public record Claims(@DefaultValue("2") int remindDays, @DefaultValue("claim-reminder") String reminderTemplate,
			@DefaultValue("30") int attemptsPerMinute) {
	}

	/**
	 * @param webhookUrl billing endpoint that receives each applied credit; unset means CSV export only
	 * @param webhookAttempts tries per credit before it waits for the next nightly run
	 */
	public record Billing(URI webhookUrl, @DefaultValue("4") int webhookAttempts,
			@DefaultValue("500ms") Duration webhookDelay, @DefaultValue("10s") Duration webhookTimeout) {
	}

}
