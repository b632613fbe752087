package io.makegood.job;

import java.util.function.BiFunction;

import io.makegood.MakegoodProperties;
import io.makegood.delivery.ClaimUrls;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MailTemplates;
import io.makegood.delivery.MessageIds;
import io.makegood.delivery.MessagePreparer;
import io.makegood.delivery.MimeComposer;
import io.makegood.incident.IncidentRepository;
import io.makegood.incident.IncidentSpec;
import io.makegood.incident.IncidentSpecParser;
import io.makegood.outbox.OutboxRepository;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Builds the per-incident pieces the steps need from the spec registered for that incident. */
public class Incidents {

	private final IncidentRepository repository;

	private final IncidentSpecParser parser;

	private final MakegoodProperties properties;

	public Incidents(IncidentRepository repository, IncidentSpecParser parser, MakegoodProperties properties) {
		this.repository = repository;
		this.parser = parser;
		this.properties = properties;
	}

	public IncidentSpec spec(String incidentId) {
		return repository.spec(incidentId, parser);
	}

	public MailTemplate template(IncidentSpec spec) {
		return new MailTemplates(properties.templates()).load(spec.message().template());
	}

	public MimeComposer composer(IncidentSpec spec) {
		return new MimeComposer(spec.message().from(), spec.message().replyTo());
	}

	/** (incident, account) to the deterministic Message-ID a receiving system can deduplicate on. */
	public BiFunction<String, String, String> messageIds(IncidentSpec spec) {
		String configured = properties.delivery().messageIdDomain();
		String domain = configured == null || configured.isBlank() ? MessageIds.domainOf(spec.message().from())
				: configured;
		return (incident, account) -> MessageIds.of(incident, account, domain);
	}

	public MessagePreparer messagePreparer(IncidentSpec spec, OutboxRepository outbox) {
		return messagePreparer(spec, outbox, ClaimUrls.NONE);
	}

	public MessagePreparer messagePreparer(IncidentSpec spec, OutboxRepository outbox, ClaimUrls claimUrls) {
		return new MessagePreparer(spec, template(spec), composer(spec), envelopeAddress(spec.message().from()),
				primary -> outbox.coveredBy(spec.id(), primary), claimUrls);
	}

	static String envelopeAddress(String mailbox) {
		try {
			return new InternetAddress(mailbox, true).getAddress();
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException("message.from is not a valid address", ex);
		}
	}

}
