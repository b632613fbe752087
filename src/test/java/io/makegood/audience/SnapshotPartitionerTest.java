package io.makegood.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static io.makegood.audience.SnapshotPartitioner.FIRST_SEQ;
import static io.makegood.audience.SnapshotPartitioner.LAST_SEQ;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPartitionerTest {

	@Test
	void rangesCoverEveryPositionOnceInNearlyEqualParts() {
		Map<String, ExecutionContext> ranges = new SnapshotPartitioner(1, 10).partition(3);

		assertThat(ranges).containsOnlyKeys("part0", "part1", "part2");
		assertThat(bounds(ranges)).containsExactly(List.of(1L, 4L), List.of(5L, 7L), List.of(8L, 10L));
	}

	@Test
	void rangesStartAtTheSnapshotsFirstPosition() {
		assertThat(bounds(new SnapshotPartitioner(101, 300).partition(2))).containsExactly(List.of(101L, 200L),
				List.of(201L, 300L));
	}

	@Test
	void aSmallSnapshotGetsNoEmptyRanges() {
		assertThat(bounds(new SnapshotPartitioner(1, 2).partition(8))).containsExactly(List.of(1L, 1L),
				List.of(2L, 2L));
	}

	@Test
	void anEmptySnapshotGetsOneRangeThatHoldsNothing() {
		List<List<Long>> ranges = bounds(new SnapshotPartitioner(1, 0).partition(4));

		assertThat(ranges).hasSize(1);
		assertThat(ranges.get(0).get(1)).isLessThan(ranges.get(0).get(0));
	}

	private static List<List<Long>> bounds(Map<String, ExecutionContext> ranges) {
		List<List<Long>> bounds = new ArrayList<>();
		ranges.values().forEach(range -> bounds.add(List.of(range.getLong(FIRST_SEQ), range.getLong(LAST_SEQ))));
		return bounds;
	}

}
