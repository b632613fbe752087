package io.makegood.delivery;

import java.util.List;
import java.util.function.Function;

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

	/** @param coveredBy other accounts announced in a primary account's message (shared addresses) */
	public MessagePreparer(IncidentSpec spec, MailTemplate template, MimeComposer composer, String envelopeFrom,
			Function<String, List<CoveredAccount>> coveredBy) {
		this.spec = spec;
		this.template = template;
		this.composer = composer;
		this.envelopeFrom = envelopeFrom;
		this.coveredBy = coveredBy;
	}

	@Override
	public PreparedMessage process(OutboxEntry entry) {
		try {
			List<CoveredAccount> covered = entry.account().covers() > 1 ? coveredBy.apply(entry.accountId())
					: List.of();
			RenderedMessage rendered = template
				.render(TemplateModel.of(spec, entry.account().row(), entry.credit(), null, covered));
			byte[] content = composer.compose(spec.id(), entry.messageId(), entry.recipient(),
					entry.account().row().name(), rendered);
			return PreparedMessage.of(new OutgoingMessage(spec.id(), entry.accountId(), envelopeFrom,
					entry.recipient(), entry.messageId(), content));
		}
		catch (RuntimeException ex) {
			return PreparedMessage.failed(entry.accountId(), ex.getMessage());
		}
	}

}
