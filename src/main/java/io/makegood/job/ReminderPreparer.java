package io.makegood.job;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import io.makegood.credit.Credit;
import io.makegood.credit.CreditStatus;
import io.makegood.credit.claim.Reminders;
import io.makegood.delivery.ClaimUrls;
import io.makegood.delivery.CoveredAccount;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MessagePreparer;
import io.makegood.delivery.MimeComposer;
import io.makegood.delivery.PreparedMessage;
import io.makegood.incident.IncidentSpec;
import io.makegood.outbox.OutboxEntry;
import io.makegood.outbox.OutboxRepository;

/**
 * Renders a reminder from its recipient's credits as they are when it is rendered, just before it is sent, not
 * as they were when the campaign started or its row was read: a long or throttled campaign runs for hours, and
 * recipients claim (or their credits expire or are revoked) meanwhile. Only credits that can still be claimed are
 * announced; a recipient left with none is not reminded at all, and the row ends SUPPRESSED for the same reason
 * {@link Reminders#withdrawStale} gives when delivery starts.
 */
final class ReminderPreparer implements Function<OutboxEntry, PreparedMessage> {

	private final String incidentId;

	private final OutboxRepository outbox;

	private final Clock clock;

	private final MessagePreparer preparer;

	ReminderPreparer(IncidentSpec spec, MailTemplate template, MimeComposer composer, String envelopeFrom,
			ClaimUrls claimUrls, OutboxRepository outbox, Clock clock) {
		this.incidentId = spec.id();
		this.outbox = outbox;
		this.clock = clock;
		this.preparer = new MessagePreparer(spec, template, composer, envelopeFrom, this::claimableCoveredBy,
				claimUrls);
	}

	// Reads outside MessagePreparer's guard on purpose: a database that fails here fails the lane and leaves the
	// row PENDING for the next run, where a render failure would end it FAILED.
	@Override
	public PreparedMessage apply(OutboxEntry entry) {
		Credit own = outbox.creditOf(incidentId, entry.accountId());
		Credit claimable = isClaimable(own, clock.instant()) ? own : null;
		List<CoveredAccount> covered = entry.account().covers() > 1 ? claimableCoveredBy(entry.accountId())
				: List.of();
		if (claimable == null && covered.isEmpty()) {
			return PreparedMessage.suppressed(entry.accountId(), Reminders.NOTHING_LEFT_TO_CLAIM);
		}
		return preparer.process(new OutboxEntry(entry.account(), entry.recipient(), entry.messageId(),
				entry.attempts(), claimable), covered);
	}

	private List<CoveredAccount> claimableCoveredBy(String primaryAccountId) {
		Instant now = clock.instant();
		return outbox.coveredBy(incidentId, primaryAccountId)
			.stream()
			.filter(covered -> isClaimable(covered.credit(), now))
			.toList();
	}

	// the test Reminders.withdrawStale makes in SQL, so both withdraw exactly the same reminders
	private static boolean isClaimable(Credit credit, Instant now) {
		return credit != null && credit.status() == CreditStatus.CLAIMABLE
				&& (credit.expiresAt() == null || credit.expiresAt().isAfter(now));
	}

}
