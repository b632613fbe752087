package io.makegood.audience;

import io.makegood.credit.CompensationPolicies;
import io.makegood.incident.IncidentSpec;
import io.makegood.metrics.MakegoodMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.scope.context.ChunkContext;

/** Freezes the audience once per incident; on every later run it only reports what was frozen. */
public class SnapshotTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(SnapshotTasklet.class);

	private final IncidentSpec spec;

	private final AudienceSnapshot snapshot;

	private final AudienceSources sources;

	private final MakegoodMetrics metrics;

	public SnapshotTasklet(IncidentSpec spec, AudienceSnapshot snapshot, AudienceSources sources,
			MakegoodMetrics metrics) {
		this.spec = spec;
		this.snapshot = snapshot;
		this.sources = sources;
		this.metrics = metrics;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		AudienceSnapshot.Result result = snapshot.take(spec.id(), sources.open(spec),
				row -> CompensationPolicies.cannotGrant(spec.compensation(), row)
					.map(reason -> new AudienceRules.Reject(reason, "cannot compute the credit")));
		if (result.alreadyFrozen()) {
			log.info("Audience of {} was frozen by an earlier run: {} accounts", spec.id(), result.accepted());
		}
		else {
			log.info("Audience of {} frozen: {} accounts, {} rejected {}, {} suppressed, {} sharing an address",
					spec.id(), result.accepted(), result.rejectsByReason().values().stream().mapToLong(Long::longValue).sum(),
					result.rejectsByReason(), result.suppressed(), result.sharedAddressAccounts());
			metrics.audience(spec.id(), result.accepted(), result.rejectsByReason(), result.suppressed());
		}
		contribution.incrementWriteCount(result.accepted());
		return RepeatStatus.FINISHED;
	}

}
