package dev.vigil.realtimescoring.job;

import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partition's watermark at the source: records without a readable time (bound for the dead
 * letters) must not keep a partition "active" at the start of time, which would hold the job's
 * watermark there and stop late routing, card expiry and every FlinkCEP alert.
 */
class EventTimeTest {
    private static final long T = 1_700_000_000_000L;
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Duration IDLE_AFTER = Duration.ofSeconds(30);

    @Test
    void aPartitionCarryingOnlyUnreadableRecordsTurnsIdle() {
        ManualClock clock = new ManualClock();
        Recorded out = new Recorded();
        WatermarkGenerator<RawRecord> partition = new ScoringJob.TimedOnly(bare(clock));
        feedUnreadableFor40s(partition, clock, out);
        assertTrue(out.idle, "a partition with nothing but unreadable records is idle, so it holds no watermark back");
        assertEquals(Long.MIN_VALUE, out.watermark, "and it moved no watermark");
    }

    @Test
    void withoutTheFilterTheSameRecordsWouldKeepThePartitionActive() {
        ManualClock clock = new ManualClock();
        Recorded out = new Recorded();
        feedUnreadableFor40s(bare(clock), clock, out);
        assertFalse(out.idle, "what the filter is for: each record counts as activity");
    }

    @Test
    void timedRecordsMoveTheWatermarkAndUntimedOnesInBetweenDoNotMoveItBack() {
        ManualClock clock = new ManualClock();
        Recorded out = new Recorded();
        WatermarkGenerator<RawRecord> partition = new ScoringJob.TimedOnly(bare(clock));
        partition.onEvent(new RawRecord(), T, out);
        partition.onEvent(new RawRecord(), Long.MIN_VALUE, out);
        partition.onPeriodicEmit(out);
        assertEquals(T - SLACK.toMillis() - 1, out.watermark);
        assertFalse(out.idle);
    }

    /** What {@code ScoringJob.eventTime} builds under the filter, on a clock the test moves. */
    private static WatermarkGenerator<RawRecord> bare(ManualClock clock) {
        return new WatermarksWithIdleness<>(new BoundedOutOfOrdernessWatermarks<>(SLACK), IDLE_AFTER, clock);
    }

    private static void feedUnreadableFor40s(WatermarkGenerator<RawRecord> g, ManualClock clock, Recorded out) {
        for (int s = 0; s < 40; s++) {
            g.onEvent(new RawRecord(), Long.MIN_VALUE, out);
            clock.advanceTime(Duration.ofSeconds(1));
            g.onPeriodicEmit(out);
        }
    }

    private static final class Recorded implements WatermarkOutput {
        long watermark = Long.MIN_VALUE;
        boolean idle;

        @Override
        public void emitWatermark(Watermark w) {
            watermark = Math.max(watermark, w.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
