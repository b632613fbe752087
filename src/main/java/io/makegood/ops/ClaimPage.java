package io.makegood.ops;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.makegood.credit.Credit;
import io.makegood.credit.claim.ClaimService.ClaimView;
import io.makegood.delivery.TemplateModel;

/**
 * What the claim page says for each state of a link, with its HTTP status. Every key the template reads is
 * always present, so a page can never fail on a missing value. The customer's email address is never shown.
 */
public record ClaimPage(int status, String title, String heading, String message, String detail, boolean form,
		boolean success) {

	public static ClaimPage of(ClaimView view, boolean appliedNow) {
		Locale locale = TemplateModel.localeOf(view.locale());
		return switch (view.state()) {
			case UNKNOWN -> new ClaimPage(404, "Link not found", "We could not find this link",
					"Please check that you opened the whole link from your email. If it still does not work, our"
							+ " customer care team is happy to help.",
					"", false, false);
			case REVOKED -> new ClaimPage(410, "Credit withdrawn", "This credit has been withdrawn",
					"The offer this link was for is no longer available, so there is nothing to apply. If you think"
							+ " this is a mistake, please contact our customer care team.",
					"", false, false);
			case EXPIRED -> new ClaimPage(410, "Link expired", "This link has expired",
					"The offer ended" + on(view.credit().expiresAt(), locale)
							+ ", so the credit can no longer be applied. We are sorry we missed you.",
					offer(view, locale), false, false);
			case CLAIMED -> appliedNow
					? new ClaimPage(200, "Credit applied", "Done: your credit is applied",
							capitalize(describe(view.credit(), locale)) + " has been added to account "
									+ view.accountId() + ". There is nothing more to do.",
							view.incidentTitle(), false, true)
					: new ClaimPage(200, "Already applied", "Already applied",
							"This credit was already applied on " + date(view.claimedAt(), locale)
									+ ". There is nothing more to do.",
							offer(view, locale), false, true);
			case CLAIMABLE -> new ClaimPage(200, "Apply your credit", "Your credit is ready",
					"We are sorry about: " + view.incidentTitle() + ". To make up for it, we would like to give account "
							+ view.accountId() + " " + describe(view.credit(), locale) + ".",
					view.credit().expiresAt() == null ? ""
							: "Apply it by " + TemplateModel.deadline(view.credit().expiresAt(), locale) + ".",
					true, false);
		};
	}

	public Map<String, Object> model(String action, String csrfName, String csrfValue) {
		Map<String, Object> model = new HashMap<>();
		model.put("title", title);
		model.put("heading", heading);
		model.put("message", message);
		model.put("detail", detail);
		model.put("hasDetail", !detail.isEmpty());
		model.put("form", form);
		model.put("success", success);
		model.put("action", action);
		model.put("csrfName", csrfName);
		model.put("csrfValue", csrfValue);
		return model;
	}

	/** e.g. "a credit of $0.45 on your next bill" or "one movie rental". */
	static String describe(Credit credit, Locale locale) {
		return switch (credit.kind()) {
			case PERCENT_OF_FEE, FIXED -> credit.amount() == null ? "a credit on your next bill"
					: "a credit of " + credit.amount().format(locale) + " on your next bill";
			case COMPLIMENTARY -> credit.item() == null ? "a complimentary item" : credit.item();
			case NONE -> "nothing";
		};
	}

	private static String offer(ClaimView view, Locale locale) {
		return "Account " + view.accountId() + ": " + describe(view.credit(), locale) + ".";
	}

	private static String on(Instant instant, Locale locale) {
		return instant == null ? "" : " on " + TemplateModel.deadline(instant, locale);
	}

	static String date(Instant instant, Locale locale) {
		if (instant == null) {
			return "an earlier visit";
		}
		return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).withZone(ZoneOffset.UTC)
			.format(instant);
	}

	private static String capitalize(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
