package io.makegood.delivery;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.makegood.incident.IncidentSpec;
import io.makegood.outbox.OutboxEntry;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Renders one queued message into RFC 5322 bytes: compiled templates and a direct MIME writer, no
 * MimeMessage building on the hot path. A row that cannot be rendered is passed on as a failure with its
 * reason, so it ends FAILED in the report rather than stopping the run or vanishing.
 */
public class MessagePreparer implements ItemProcessor<OutboxEntry, PreparedMessage> {

	private final IncidentSpec spec;

	private final MailTemplate template;

	private final MimeComposer composer;

	private final String envelopeFrom;

	private final Function<String, List<CoveredAccount>> coveredBy;

	private final ClaimUrls claimUrls;

	/** @param coveredBy other accounts announced in a primary account's message (shared addresses) */
	public MessagePreparer(IncidentSpec spec, MailTemplate template, MimeComposer composer, String envelopeFrom,
			Function<String, List<CoveredAccount>> coveredBy) {
		this(spec, template, composer, envelopeFrom, coveredBy, ClaimUrls.NONE);
	}

	/** @param claimUrls issues the claim link of each claimable credit the message announces */
	public MessagePreparer(IncidentSpec spec, MailTemplate template, MimeComposer composer, String envelopeFrom,
			Function<String, List<CoveredAccount>> coveredBy, ClaimUrls claimUrls) {
		this.spec = spec;
		this.template = template;
		this.composer = composer;
		this.envelopeFrom = envelopeFrom;
		this.coveredBy = coveredBy;
		this.claimUrls = claimUrls;
	}

	@Override
	public PreparedMessage process(OutboxEntry entry) {
		return render(entry, () -> entry.account().covers() > 1 ? coveredBy.apply(entry.accountId()) : List.of());
	}

	/** For a caller that has just looked the covered accounts up itself, to decide whether to send at all. */
	public PreparedMessage process(OutboxEntry entry, List<CoveredAccount> covered) {
		return render(entry, () -> covered);
	}

	private PreparedMessage render(OutboxEntry entry, Supplier<List<CoveredAccount>> coveredAccounts) {
		try {
			List<CoveredAccount> covered = coveredAccounts.get();
			Map<String, Object> model = TemplateModel.of(spec, entry.account().row(), entry.credit(),
					claimUrls.issue(entry.accountId(), entry.credit()), covered);
			addCoveredClaimUrls(model, covered);
			RenderedMessage rendered = template.render(model);
			byte[] content = composer.compose(spec.id(), entry.messageId(), entry.recipient(),
					entry.account().row().name(), rendered);
			return PreparedMessage.of(new OutgoingMessage(spec.id(), entry.accountId(), envelopeFrom,
					entry.recipient(), entry.messageId(), content));
		}
		catch (RuntimeException ex) {
			return PreparedMessage.failed(entry.accountId(), ex.getMessage());
		}
	}

	// Always set, even to null: a missing key would make Mustache resolve {{claimUrl}} inside {{#covered}} to the
	// recipient's own link, and one account must never claim another's credit by mistake.
	@SuppressWarnings("unchecked")
	private void addCoveredClaimUrls(Map<String, Object> model, List<CoveredAccount> covered) {
		List<Map<String, Object>> entries = (List<Map<String, Object>>) model.get("covered");
		for (int i = 0; i < entries.size(); i++) {
			CoveredAccount account = covered.get(i);
			entries.get(i).put("claimUrl", claimUrls.issue(account.accountId(), account.credit()));
		}
	}

}
