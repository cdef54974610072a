package dev.vigil.batchtraining.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison scorer's command line, as ./vigil loadtest writes it; refusals before Spark starts. */
class ScoreStreamOptionsTest {

    @Test
    void microBatchesByDefaultRealTimeWhenAsked() {
        TrainMain.ScoreStream micro = new TrainMain.ScoreStream();
        new CommandLine(micro).parseArgs("--line", "world", "--trigger-ms", "500");
        assertFalse(micro.realTime);
        assertEquals(500, micro.triggerMs);
        assertNull(micro.master, "the master follows the mode unless given");

        TrainMain.ScoreStream realTime = new TrainMain.ScoreStream();
        new CommandLine(realTime).parseArgs("--line", "world", "--real-time");
        assertTrue(realTime.realTime);
        assertEquals(60, realTime.checkpointEverySeconds);
    }

    @Test
    void aCheckpointIntervalUnderSparksMinimumIsAUsageError() {
        assertEquals(64, TrainMain.run(new String[] {"score-stream", "--real-time", "--checkpoint-every-s", "2"}));
        assertEquals(64, TrainMain.run(new String[] {"score-stream", "--real-time", "--checkpoint-every", "60"}),
                "an unknown option");
    }
}
