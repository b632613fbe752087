package io.makegood.ops;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/** One concise progress line every few seconds on long steps, instead of a line per chunk. */
public class ProgressListener implements StepExecutionListener, ChunkListener<Object, Object> {

	private static final Logger log = LoggerFactory.getLogger("makegood.progress");

	private static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();

	private volatile StepExecution step;

	private volatile long startedAt;

	private volatile long lastLineAt;

	@Override
	public void beforeStep(StepExecution stepExecution) {
		step = stepExecution;
		startedAt = System.nanoTime();
		lastLineAt = startedAt;
	}

	@Override
	public void afterChunk(Chunk<Object> chunk) {
		maybeReport();
	}

	@Override
	public void afterChunk(ChunkContext context) {
		maybeReport();
	}

	private void maybeReport() {
		long now = System.nanoTime();
		if (step == null || now - lastLineAt < EVERY_NANOS) {
			return;
		}
		lastLineAt = now;
		double seconds = (now - startedAt) / 1e9;
		long written = step.getWriteCount();
		log.info("{}: {} done in {}s ({}/s)", step.getStepName(), written, Math.round(seconds),
				Math.round(written / Math.max(seconds, 0.001)));
	}

}
