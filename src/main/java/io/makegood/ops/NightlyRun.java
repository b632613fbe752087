package io.makegood.ops;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.makegood.credit.claim.BillingWebhook;
import io.makegood.credit.claim.CreditExpiry;
import io.makegood.credit.claim.Reminders;
import io.makegood.incident.IncidentRepository;
import io.makegood.job.Incidents;
import io.makegood.job.ReminderDelivery;
import io.makegood.outbox.OutboxRepository;

/**
 * {@code makegood nightly}: expire, remind, deliver, bill. Every part only moves rows that still need it
 * (CLAIMABLE credits past expiry, reminders not yet queued, messages PENDING or RETRY, credits not yet billed),
 * so a second run in the same night does nothing new. Expiry runs first, so nobody is reminded of a credit that
 * has just expired.
 */
public class NightlyRun {

	private final CreditExpiry expiry;

	private final Reminders reminders;

	private final ReminderDelivery reminderDelivery;

	private final IncidentRunner runner;

	private final IncidentRepository repository;

	private final Incidents incidents;

	private final OutboxRepository outbox;

	private final BillingWebhook billing;

	private final Duration remindWithin;

	private final Clock clock;

	/** @param billing null when no billing webhook is configured */
	public NightlyRun(CreditExpiry expiry, Reminders reminders, ReminderDelivery reminderDelivery,
			IncidentRunner runner, IncidentRepository repository, Incidents incidents, OutboxRepository outbox,
			BillingWebhook billing, Duration remindWithin, Clock clock) {
		this.expiry = expiry;
		this.reminders = reminders;
		this.reminderDelivery = reminderDelivery;
		this.runner = runner;
		this.repository = repository;
		this.incidents = incidents;
		this.outbox = outbox;
		this.billing = billing;
		this.remindWithin = remindWithin;
		this.clock = clock;
	}

	/** @return the exit code: DONE when everything due was done, else FAILED (run it again to resume) */
	public int run(PrintStream out, PrintStream err) throws Exception {
		Instant now = clock.instant();
		int exit = ExitCodes.DONE;
		Map<String, Integer> expired = expiry.expire(now);
		out.println("expire: " + (expired.isEmpty() ? "nothing to expire" : expired));
		List<Reminders.Queued> queued = reminders.enqueueDue(now, remindWithin);
		out.println("remind: " + (queued.isEmpty() ? "nobody to remind"
				: queued.stream().map(q -> q.incidentId() + "=" + q.queued()).toList()) + " (credits expiring within "
				+ remindWithin.toDays() + " day(s))");
		for (String incidentId : repository.ids()) {
			if (outbox.unfinished(incidentId) > 0) {
				IncidentRunner.Outcome outcome = runner.run(incidents.spec(incidentId));
				(outcome.exitCode() == ExitCodes.DONE ? out : err).println("deliver: " + outcome.summary());
				exit = worst(exit, outcome.exitCode());
			}
		}
		for (String campaignId : reminders.unfinishedCampaigns()) {
			ReminderDelivery.Outcome outcome = reminderDelivery.deliver(campaignId);
			(outcome.exitCode() == ExitCodes.DONE ? out : err).println("deliver: " + outcome.summary());
			exit = worst(exit, outcome.exitCode());
		}
		if (billing != null) {
			out.println("bill: " + billing.postPending() + " credit(s) acknowledged by billing");
		}
		return exit;
	}

	private static int worst(int current, int next) {
		return current == ExitCodes.DONE ? next : current;
	}

}
