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
 * has just expired. Each incident and reminder campaign is delivered on its own ({@link NightlyDeliveries}): one
 * that cannot be resumed is named at the end and makes the exit code non-zero, but does not stop the others.
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

	/**
	 * @return the exit code: DONE when everything due was done, else the first delivery's that was not (FAILED
	 * for one that could not be resumed), else FAILED when billing left credits unacknowledged; each delivery that
	 * did not finish, and the credits billing did not acknowledge, are named at the end
	 */
	public int run(PrintStream out, PrintStream err) throws Exception {
		Instant now = clock.instant();
		Map<String, Integer> expired = expiry.expire(now);
		out.println("expire: " + (expired.isEmpty() ? "nothing to expire" : expired));
		List<Reminders.Queued> queued = reminders.enqueueDue(now, remindWithin);
		out.println("remind: " + (queued.isEmpty() ? "nobody to remind"
				: queued.stream().map(q -> q.incidentId() + "=" + q.queued()).toList()) + " (credits expiring within "
				+ remindWithin.toDays() + " day(s))");
		NightlyDeliveries deliveries = new NightlyDeliveries(out, err);
		for (String incidentId : repository.ids()) {
			if (outbox.unfinished(incidentId) == 0) {
				continue;
			}
			if (repository.isHeld(incidentId)) {
				// an operator stopped it, perhaps because it went to the wrong people: only they resume it
				out.println("deliver: " + incidentId + " is held since an operator stopped it; `run` resumes it");
				continue;
			}
			deliveries.deliver("incident " + incidentId, () -> {
				IncidentRunner.Outcome outcome = runner.run(incidents.spec(incidentId));
				return new NightlyDeliveries.Result(outcome.exitCode(), outcome.summary());
			});
		}
		for (String campaignId : reminders.unfinishedCampaigns()) {
			deliveries.deliver("campaign " + campaignId, () -> {
				ReminderDelivery.Outcome outcome = reminderDelivery.deliver(campaignId);
				return new NightlyDeliveries.Result(outcome.exitCode(), outcome.summary());
			});
		}
		BillingWebhook.Billed billed = billing == null ? null : billing.postPending();
		if (billed != null) {
			out.println("bill: " + billed.acknowledged() + " credit(s) acknowledged by billing");
		}
		deliveries.printSummary();
		return billed == null ? deliveries.exitCode() : withBilling(deliveries.exitCode(), billed, err);
	}

	// Printed after the deliveries' summary, so the end of a CronJob's log names what billing left too. A credit
	// billing did not acknowledge fails the night as an unsent message does; the next run posts it again.
	private static int withBilling(int exit, BillingWebhook.Billed billed, PrintStream err) {
		if (billed.unacknowledged() == 0) {
			return exit;
		}
		err.println("bill: " + billed.unacknowledged() + " credit(s) not acknowledged by billing (the log says why);"
				+ " they stay unbilled and the next nightly run posts them again");
		return exit == ExitCodes.DONE ? ExitCodes.FAILED : exit;
	}

}
