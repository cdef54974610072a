package dev.vigil.batchtraining;

import dev.vigil.batchtraining.eval.Metrics;
import dev.vigil.batchtraining.set.Windows;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metric definitions on cases small enough to work out by hand. */
class MetricsTest {
    private static final boolean T = true, F = false;

    @Test
    void averagePrecisionIsTheStepAreaUnderThePrCurve() {
        // Ranked: fraud, legit, fraud, legit → precision at the two frauds 1 and 2/3.
        assertEquals((1.0 + 2.0 / 3) / 2, Metrics.averagePrecision(new double[]{.9, .8, .7, .1}, new boolean[]{T, F, T, F}), 1e-12);
        assertEquals(1.0, Metrics.averagePrecision(new double[]{.9, .8, .1}, new boolean[]{T, T, F}), 1e-12);
        // Equal scores form one step: two rows at .5, one fraud → precision 1/2 at recall 1.
        assertEquals(0.5, Metrics.averagePrecision(new double[]{.5, .5}, new boolean[]{T, F}), 1e-12);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        assertEquals(1.0, Metrics.rocAuc(new double[]{.9, .1}, new boolean[]{T, F}), 1e-12);
        assertEquals(0.5, Metrics.rocAuc(new double[]{.5, .5}, new boolean[]{T, F}), 1e-12);
        assertEquals(0.75, Metrics.rocAuc(new double[]{.9, .8, .7, .1}, new boolean[]{T, F, T, F}), 1e-12);
    }

    @Test
    void recallAtOnePercentFalsePositives() {
        double[] scores = new double[203];
        boolean[] fraud = new boolean[203];
        scores[0] = 1.0;
        fraud[0] = true;          // caught before any false positive
        scores[1] = 0.99;         // false positives 1 and 2 of 200: 1 %, still allowed
        scores[2] = 0.98;
        scores[3] = 0.97;
        fraud[3] = true;
        scores[4] = 0.96;         // the third false positive passes 1 %
        for (int i = 5; i < 203; i++) {
            scores[i] = 0.5;
        }
        fraud[202] = true;
        // 3 frauds, 200 legitimate: at most 1 % FPR reaches rows 0..3, so 2 of 3 frauds.
        assertEquals(2.0 / 3, Metrics.recallAtFpr(scores, fraud, 0.01), 1e-12);
    }

    @Test
    void cardPrecisionAtKRanksCardsPerDay() {
        List<Metrics.Scored> rows = List.of(
                new Metrics.Scored(.9, true, 1, "a"), new Metrics.Scored(.1, false, 1, "a"),
                new Metrics.Scored(.8, false, 1, "b"), new Metrics.Scored(.2, true, 1, "c"),
                new Metrics.Scored(.7, true, 2, "a"), new Metrics.Scored(.6, true, 2, "d"),
                new Metrics.Scored(.5, false, 2, "e"), new Metrics.Scored(.4, false, 2, "c"));
        // Day 1, k = 2: cards a (fraud) and b (not) → 1/2. Day 2: a and c were defrauded on day 1, so
        // known compromised and left out; d (fraud) and e (not) → 1/2. Mean 1/2.
        assertEquals(java.util.Map.of(1L, 0.5, 2L, 0.5), Metrics.cardPrecisionAtKPerDay(rows, 2));
        assertEquals(0.5, Metrics.cardPrecisionAtK(rows, 2), 1e-12);
    }

    @Test
    void thresholdForATargetAlertRate() {
        double[] scores = new double[1000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i / 1000.0;
        }
        double t = Metrics.thresholdForRate(scores, 0.01);
        assertEquals(0.01, Metrics.shareAtOrAbove(scores, t), 1e-12);
    }

    @Test
    void windowsRunTrainDelayHoldoutDelay() {
        Windows w = Windows.ending(LocalDate.of(2024, 1, 30), 14, 7, 7);
        assertEquals(LocalDate.of(2024, 1, 23), w.holdoutTo());
        assertEquals(LocalDate.of(2024, 1, 17), w.holdoutFrom());
        assertEquals(LocalDate.of(2024, 1, 16), w.trainLabelsKnownAt());
        assertEquals(LocalDate.of(2024, 1, 9), w.trainTo());
        assertEquals(LocalDate.of(2023, 12, 27), w.trainFrom());
        assertEquals(LocalDate.of(2024, 1, 30), w.holdoutLabelsKnownAt());
    }
    @Test
    void theTrainingWindowTakesTheLakesHistoryUpToTheCap() {
        LocalDate d = LocalDate.of(2024, 1, 30);
        Windows capped = Windows.endingWithHistory(d, LocalDate.of(2023, 1, 1), 56, 7, 7);
        assertEquals(56, capped.trainDays());
        assertEquals(LocalDate.of(2024, 1, 9), capped.trainTo());
        Windows all = Windows.endingWithHistory(d, LocalDate.of(2023, 12, 20), 56, 7, 7);
        assertEquals(LocalDate.of(2023, 12, 20), all.trainFrom());
        assertEquals(21, all.trainDays());
        assertThrows(IllegalArgumentException.class, () -> Windows.endingWithHistory(d, LocalDate.of(2024, 1, 20), 56, 7, 7));
    }

    @Test
    void tuningFitsAndValidatesInsideTheTrainingWindowWithItsOwnDelay() {
        Windows w = Windows.ending(LocalDate.of(2024, 1, 30), 56, 7, 7);
        Windows t = w.tuning(7, 14).orElseThrow();
        assertEquals(w.trainFrom(), t.trainFrom());
        assertEquals(w.trainTo(), t.holdoutTo(), "validation ends where training does");
        assertEquals(w.trainLabelsKnownAt(), t.holdoutLabelsKnownAt(), "no label known later than training's");
        assertEquals(7, t.holdoutTo().toEpochDay() - t.holdoutFrom().toEpochDay() + 1);
        assertEquals(t.holdoutFrom().minusDays(8), t.trainTo(), "the delay between fit and validation");
        assertTrue(Windows.ending(LocalDate.of(2024, 1, 30), 20, 7, 7).tuning(7, 14).isEmpty(), "6 fit days < 14");
    }
}
