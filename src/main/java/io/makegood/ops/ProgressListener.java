package io.makegood.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * One concise progress line every few seconds on long steps, instead of a line per chunk. One listener serves
 * steps running side by side (the grant step's ranges), each with its own line.
 */
public class ProgressListener implements StepExecutionListener, ChunkListener<Object, Object> {

	private static final Logger log = LoggerFactory.getLogger("makegood.progress");

	private static final long EVERY_NANOS = Duration.ofSeconds(5).toNanos();

	private final Map<Long, Progress> running = new ConcurrentHashMap<>();

	@Override
	public void beforeStep(StepExecution stepExecution) {
		running.put(stepExecution.getId(), new Progress(System.nanoTime()));
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		running.remove(stepExecution.getId());
		return null;
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
		StepContext context = StepSynchronizationManager.getContext();
		Progress progress = context == null ? null : running.get(context.getStepExecution().getId());
		long now = System.nanoTime();
		if (progress == null || now - progress.lastLineAt < EVERY_NANOS) {
			return;
		}
		progress.lastLineAt = now;
		StepExecution step = context.getStepExecution();
		double seconds = (now - progress.startedAt) / 1e9;
		long written = step.getWriteCount();
		log.info("{}: {} done in {}s ({}/s)", step.getStepName(), written, Math.round(seconds),
				Math.round(written / Math.max(seconds, 0.001)));
	}

	private static final class Progress {

		private final long startedAt;

		private volatile long lastLineAt;

		Progress(long startedAt) {
			this.startedAt = startedAt;
			this.lastLineAt = startedAt;
		}

	}

}
