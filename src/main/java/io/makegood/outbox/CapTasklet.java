package io.makegood.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** Applies the frequency cap to an incident's queue before each delivery. */
public class CapTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(CapTasklet.class);

	private final String incidentId;

	private final FrequencyCap cap;

	public CapTasklet(String incidentId, FrequencyCap cap) {
		this.incidentId = incidentId;
		this.cap = cap;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		FrequencyCap.Result result = cap.apply(incidentId);
		if (result.released() > 0) {
			log.info("{} message(s) of {} released by the frequency cap", result.released(), incidentId);
		}
		if (result.capped() > 0) {
			log.warn("{} message(s) of {} held as CAPPED: those accounts already got a recovery message recently;"
					+ " `makegood release-capped` sends them once the cap allows (credits are granted)",
					result.capped(), incidentId);
		}
		return RepeatStatus.FINISHED;
	}

}
