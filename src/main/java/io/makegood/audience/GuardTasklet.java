package io.makegood.audience;

import java.util.Optional;

import io.makegood.incident.IncidentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Between snapshot and grant: refuses a frozen audience outside the spec's blast-radius guard, or one that needs
 * an approval it does not have. A refused audience is discarded (nothing was granted or queued from it), so the
 * next run, with a corrected spec or a fresh approval, freezes the audience anew. Once credits exist the
 * incident is past the guard and the step lets resumed runs through.
 */
public class GuardTasklet implements Tasklet, StepExecutionListener {

	/** The guard step's exit code when it refused the run; the job then fails and the CLI exits with 3. */
	public static final String REFUSED = "REFUSED";

	private static final Logger log = LoggerFactory.getLogger(GuardTasklet.class);

	/**
	 * @param requireExpectedAbove audiences larger than this need guard.expected
	 * @param approvalAbove audiences larger than this need an approval; 0 = only when the spec requires one
	 */
	public record Limits(long requireExpectedAbove, long approvalAbove) {
	}

	private final IncidentSpec spec;

	private final JdbcTemplate jdbc;

	private final AudienceSnapshot snapshot;

	private final Approvals approvals;

	private final Limits limits;

	private String refusal;

	public GuardTasklet(IncidentSpec spec, JdbcTemplate jdbc, AudienceSnapshot snapshot, Approvals approvals,
			Limits limits) {
		this.spec = spec;
		this.jdbc = jdbc;
		this.snapshot = snapshot;
		this.approvals = approvals;
		this.limits = limits;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Long granted = jdbc.queryForObject("select count(*) from mg_credit where incident_id = ?", Long.class,
				spec.id());
		if (granted != null && granted > 0) {
			return RepeatStatus.FINISHED;
		}
		var frozen = jdbc.queryForMap("select spec_text, audience_size, audience_fingerprint from mg_incident where id = ?",
				spec.id());
		long size = ((Number) frozen.get("audience_size")).longValue();
		String fingerprint = (String) frozen.get("audience_fingerprint");
		refusal = check(size, PlanHash.of((String) frozen.get("spec_text"), fingerprint)).orElse(null);
		if (refusal != null) {
			log.warn("Run of {} refused: {}. Nothing was credited or sent; the snapshot was discarded.", spec.id(),
					refusal);
			snapshot.discard(spec.id());
		}
		return RepeatStatus.FINISHED;
	}

	Optional<String> check(long size, String planHash) {
		Optional<String> outside = BlastRadiusGuard.refusal(spec.guard(), size, limits.requireExpectedAbove());
		if (outside.isPresent()) {
			return outside;
		}
		boolean approvalNeeded = spec.approvalRequired() || (limits.approvalAbove() > 0 && size > limits.approvalAbove());
		if (!approvalNeeded) {
			return Optional.empty();
		}
		Optional<String> approved = approvals.latest(spec.id());
		String why = spec.approvalRequired() ? "the spec requires approval"
				: "audiences above " + limits.approvalAbove() + " accounts require approval";
		if (approved.isEmpty()) {
			return Optional.of(why + " and none was given (audience: " + size + " accounts); run `makegood preview`,"
					+ " have the plan reviewed, then run with --approve <plan-hash>");
		}
		if (!approved.get().equals(planHash)) {
			return Optional.of("the approved plan " + approved.get() + " does not match what would be sent now (" + size
					+ " accounts): the spec, the audience or its addresses, currencies or fees changed since the"
					+ " preview; preview again and approve the new plan hash");
		}
		return Optional.empty();
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		if (refusal != null) {
			return new ExitStatus(REFUSED, refusal);
		}
		return null;
	}

}
