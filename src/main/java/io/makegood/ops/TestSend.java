package io.makegood.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.makegood.MakegoodProperties;
import io.makegood.audience.AudienceRow;
import io.makegood.audience.AudienceRules;
import io.makegood.audience.AudienceSources;
import io.makegood.credit.CompensationPolicies;
import io.makegood.credit.CompensationPolicy;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MailTransport;
import io.makegood.delivery.MessageIds;
import io.makegood.delivery.OutgoingMessage;
import io.makegood.delivery.RenderedMessage;
import io.makegood.delivery.SendOutcome;
import io.makegood.delivery.TemplateModel;
import io.makegood.delivery.TransportSession;
import io.makegood.incident.IncidentSpec;
import io.makegood.job.Incidents;

/**
 * {@code run --test-to ops@example.com,...}: real messages for the first accounts of the audience, rendered from
 * their data, but delivered only to the given addresses with {@code [TEST]} in the subject. Reads the source and
 * writes nothing: no incident, snapshot, credit or outbox row, so it never counts as the incident's sending.
 * Message-IDs are fresh, so a receiving system cannot confuse a test with the real message.
 */
public class TestSend {

	public record Result(int sent, List<String> failures) {
	}

	/** Thrown to stop reading the source once enough accounts were found. */
	private static final class Enough extends RuntimeException {

		Enough() {
			super(null, null, false, false);
		}

	}

	private final AudienceSources sources;

	private final Incidents incidents;

	private final MailTransport transport;

	private final MakegoodProperties properties;

	private final Clock clock;

	public TestSend(AudienceSources sources, Incidents incidents, MailTransport transport,
			MakegoodProperties properties, Clock clock) {
		this.sources = sources;
		this.incidents = incidents;
		this.transport = transport;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * @param to the only addresses anything is sent to
	 * @param count how many accounts to render (the first ones that pass the snapshot rules); message i goes to
	 * {@code to[i % to.size()]}
	 */
	public Result send(IncidentSpec spec, List<String> to, int count) {
		List<AudienceRow> rows = firstAccounts(spec, count);
		MailTemplate template = incidents.template(spec);
		CompensationPolicy policy = CompensationPolicies.from(spec.compensation(), properties.credit().rounding());
		String domain = MessageIds.domainOf(spec.message().from());
		String envelope = envelopeOf(spec);
		Instant now = clock.instant();
		String run = UUID.randomUUID().toString();
		int sent = 0;
		List<String> failures = new ArrayList<>();
		try (TransportSession session = transport.openSession()) {
			for (int i = 0; i < rows.size(); i++) {
				AudienceRow row = rows.get(i);
				String recipient = to.get(i % to.size());
				RenderedMessage real = template.render(TemplateModel.of(spec, row, policy.grant(row, now), null, List.of()));
				RenderedMessage test = new RenderedMessage("[TEST] " + real.subject(), real.text(), real.html());
				String messageId = MessageIds.of("test." + spec.id(), run + "/" + row.accountId(), domain);
				// no display name: the customer's name must not be shown on the operator's address
				byte[] content = incidents.composer(spec).compose(spec.id(), messageId, recipient, null, test);
				SendOutcome outcome = session.send(new OutgoingMessage(spec.id(), "test:" + row.accountId(), envelope,
						recipient, messageId, content));
				if (outcome.isAccepted()) {
					sent++;
				}
				else {
					failures.add(outcome.kind() + " " + outcome.reply());
				}
			}
		}
		return new Result(sent, failures);
	}

	private List<AudienceRow> firstAccounts(IncidentSpec spec, int count) {
		AudienceRules rules = new AudienceRules();
		List<AudienceRow> rows = new ArrayList<>();
		try {
			sources.open(spec).read((rowNo, sourceRow) -> {
				Optional<AudienceRules.Reject> reject = rules.check(sourceRow)
					.or(() -> CompensationPolicies.cannotGrant(spec.compensation(), sourceRow.row())
						.map(reason -> new AudienceRules.Reject(reason, "")));
				if (reject.isEmpty()) {
					rows.add(sourceRow.row());
					if (rows.size() >= count) {
						throw new Enough();
					}
				}
			});
		}
		catch (Enough enough) {
			// read as much as needed
		}
		return rows;
	}

	private static String envelopeOf(IncidentSpec spec) {
		String from = spec.message().from();
		int lt = from.lastIndexOf('<');
		int gt = from.lastIndexOf('>');
		return lt >= 0 && gt > lt ? from.substring(lt + 1, gt).strip() : from.strip();
	}

}
