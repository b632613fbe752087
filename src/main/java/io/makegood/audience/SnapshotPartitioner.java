package io.makegood.audience;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits a frozen snapshot into contiguous ranges of its positions, so that its accounts can be granted by several
 * workers at once. A frozen snapshot never changes, so a restart computes the same ranges, and Spring Batch resumes
 * each unfinished range from its own saved position. Positions may have gaps (a duplicate account keeps none), which
 * only makes the ranges a little uneven.
 */
public class SnapshotPartitioner implements Partitioner {

	public static final String FIRST_SEQ = "firstSeq";

	public static final String LAST_SEQ = "lastSeq";

	private final long firstSeq;

	private final long lastSeq;

	/** @param lastSeq below {@code firstSeq} for an empty snapshot, which gets one empty range */
	public SnapshotPartitioner(long firstSeq, long lastSeq) {
		this.firstSeq = firstSeq;
		this.lastSeq = lastSeq;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		long positions = Math.max(0, lastSeq - firstSeq + 1);
		int parts = (int) Math.max(1, Math.min(gridSize, positions));
		Map<String, ExecutionContext> ranges = new LinkedHashMap<>();
		long first = firstSeq;
		for (int part = 0; part < parts; part++) {
			// the first (positions % parts) ranges take one position more
			long size = positions / parts + (part < positions % parts ? 1 : 0);
			ExecutionContext range = new ExecutionContext();
			range.putLong(FIRST_SEQ, first);
			range.putLong(LAST_SEQ, first + size - 1);
			ranges.put("part" + part, range);
			first += size;
		}
		return ranges;
	}

}
