package dev.vigil.batchtraining.night;

import dev.vigil.featurelake.nightly.Nightly;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NightPlanTest {

    @Test
    void trainingRunsForTheLastNightOnTheSameLakeBrokerAndMaster() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--from", "2026-03-01", "--to", "2026-03-28",
                "--lake", "s3a://lake", "--bootstrap", "kafka:9092", "--master", "local[2]", "--ingest", "off",
                "--line", "demo", "--store", "file:///models", "--set", "window.delay_days=2"});
        assertEquals(LocalDate.parse("2026-03-01"), plan.lake().first());
        assertEquals(LocalDate.parse("2026-03-28"), plan.lake().last());
        assertEquals("s3a://lake", plan.lake().lakeUri());

        assertEquals("2026-03-28", plan.training().date());
        assertEquals("s3a://lake", plan.training().lake().toString());
        assertEquals("kafka:9092", plan.training().bootstrap());
        assertEquals("local[2]", plan.training().master());
        assertEquals("demo", plan.training().line());
        assertEquals("file:///models", plan.training().store());
        assertEquals(Map.of("window.delay_days", "2"), plan.training().settings());
        assertTrue(plan.train());
    }

    @Test
    void aNightThatMayNotPublishDoesNotPromoteEither() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--date", "2026-03-28", "--publish", "off"});
        assertEquals(Nightly.KafkaMode.OFF, plan.training().kafka());
        assertEquals("2026-03-28", plan.training().date());
        assertEquals(Nightly.KafkaMode.AUTO, NightMain.plan(new String[] {"--date", "2026-03-28"}).training().kafka());
    }

    @Test
    void trainingDefaultsWhenTheNightGivesNone() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--date", "2026-03-28"});
        assertEquals("world", plan.training().line());
        assertNull(plan.training().config());
        assertTrue(plan.training().settings().isEmpty());
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
        assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--from", "2026-03-01", "--to", "2026-03-28"}));
        assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--from", "2026-03-28", "--to", "2026-03-01"}));
        assertThrows(java.time.DateTimeException.class, () -> NightMain.plan(new String[] {"--date", "28.03.2026"}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--load", "/no/such/history"}));
        assertTrue(e.getMessage().contains("--load"), e.getMessage());
    }

    @Test
    void anOptionNeitherTheLakeNorTrainingReadsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--maturity-dayz", "30"}));
        assertTrue(e.getMessage().contains("--maturity-dayz"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NightMain.plan(new String[] {"--date", "2026-03-28", "--ingest", "maybe"}));
        assertTrue(e.getMessage().contains("--ingest") && e.getMessage().contains("maybe"), e.getMessage());
    }

    @Test
    void yesterdayIsResolvedOnceForTheLakeAndTraining() {
        NightMain.Plan plan = NightMain.plan(new String[] {"--date", "yesterday"});
        LocalDate yesterday = LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1);
        assertEquals(yesterday, plan.lake().last());
        assertEquals(yesterday.toString(), plan.training().date());
    }
}
