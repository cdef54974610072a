package dev.vigil.batchtraining.night;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NightPlanTest {

    @Test
    void trainingRunsForTheLastNightOnTheSameLakeBrokerAndMaster() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--from", "2026-03-01", "--to", "2026-03-28",
                "--lake", "s3a://lake", "--bootstrap", "kafka:9092", "--master", "local[2]", "--ingest", "off",
                "--line", "demo", "--store", "file:///models", "--set", "window.delay_days=2"});
        assertEquals(Map.of("from", "2026-03-01", "to", "2026-03-28", "lake", "s3a://lake", "bootstrap", "kafka:9092",
                "master", "local[2]", "ingest", "off"), plan.lake());
        assertEquals(Map.of("date", "2026-03-28", "lake", "s3a://lake", "bootstrap", "kafka:9092", "master", "local[2]",
                "line", "demo", "store", "file:///models"), plan.training());
        assertEquals(Map.of("window.delay_days", "2"), plan.settings());
        assertTrue(plan.train());
    }

    @Test
    void aNightThatMayNotPublishDoesNotPromoteEither() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--date", "2026-03-28", "--publish", "off"});
        assertEquals("off", plan.training().get("kafka"));
        assertEquals("2026-03-28", plan.training().get("date"));
    }

    @Test
    void theLakeAloneTakesNoTrainingOptions() {
        assertFalse(NightMain.plan(new String[] {"--date", "2026-03-28", "--no-train"}).train());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--no-train", "--line", "demo"}));
        assertTrue(e.getMessage().contains("--no-train"), e.getMessage());
    }

    @Test
    void aNightNeedsItsDatesAndValues() {
        assertThrows(IllegalArgumentException.class, () -> NightMain.plan(new String[] {"--lake", "file:///l"}));
        assertThrows(IllegalArgumentException.class, () -> NightMain.plan(new String[] {"--date"}));
        assertThrows(IllegalArgumentException.class, () -> NightMain.plan(new String[] {"2026-03-28"}));
        assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--set", "window.delay_days"}));
    }

    @Test
    void yesterdayIsResolvedOnceForTheLakeAndTraining() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--date", "yesterday"});
        String yesterday = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        assertEquals(yesterday, plan.lake().get("date"));
        assertEquals(yesterday, plan.training().get("date"));
    }
}
