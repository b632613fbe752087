package io.makegood.ops;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.makegood.MakegoodProperties;
import io.makegood.audience.AudienceRow;
import io.makegood.audience.AudienceSources;
import io.makegood.credit.CompensationPolicies;
import io.makegood.credit.Credit;
import io.makegood.delivery.MailTemplate;
import io.makegood.delivery.MessageIds;
import io.makegood.delivery.RenderedMessage;
import io.makegood.delivery.TemplateModel;
import io.makegood.incident.IncidentSpec;
import io.makegood.incident.InvalidSpecException;
import io.makegood.incident.SpecProblem;
import io.makegood.job.Incidents;

/**
 * Checks what a spec can only be checked against: its templates exist, and one real message renders from the
 * first audience row (a template variable the data cannot fill fails here, before any credit is written).
 * Reads only; writes nothing anywhere.
 */
public class SpecPreflight {

	private final Incidents incidents;

	private final AudienceSources sources;

	private final MakegoodProperties properties;

	private final Clock clock;

	public SpecPreflight(Incidents incidents, AudienceSources sources, MakegoodProperties properties, Clock clock) {
		this.incidents = incidents;
		this.sources = sources;
		this.properties = properties;
		this.clock = clock;
	}

	public void check(IncidentSpec spec) {
		MailTemplate template;
		try {
			template = incidents.template(spec);
		}
		catch (RuntimeException ex) {
			throw problem("message.template", ex.getMessage());
		}
		Optional<AudienceRow> first;
		try {
			first = sources.open(spec).first();
		}
		catch (RuntimeException ex) {
			throw problem("audience", "cannot read the audience: " + ex.getMessage());
		}
		if (first.isEmpty()) {
			return;
		}
		AudienceRow row = first.get();
		Credit credit = CompensationPolicies.cannotGrant(spec.compensation(), row).isPresent() ? null
				: CompensationPolicies.from(spec.compensation(), properties.credit().rounding()).grant(row, clock.instant());
		try {
			Map<String, Object> model = TemplateModel.of(spec, row, credit, null, List.of());
			RenderedMessage sample = template.render(model);
			incidents.composer(spec).compose(spec.id(), MessageIds.of(spec.id(), "sample", "example.com"),
					"sample@example.com", row.name(), sample);
		}
		catch (RuntimeException ex) {
			throw problem("message.template",
					"template '" + spec.message().template() + "' cannot be rendered from the first audience row: "
							+ ex.getMessage());
		}
	}

	private static InvalidSpecException problem(String field, String message) {
		return new InvalidSpecException(List.of(new SpecProblem(field, message)));
	}

}
