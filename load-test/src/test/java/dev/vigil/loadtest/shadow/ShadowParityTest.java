package dev.vigil.loadtest.shadow;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.feature.FeatureSet;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowParityTest {
    private static final String CARD = "tok_aaaaaaaaaaaaaaaa";

    private static Decision decision(String id, float score, Action action, long count) {
        return new Decision(id, CARD, score, action, List.of(), "m1", null, count, count, 0, 0, 0);
    }

    private static float[] features(float first) {
        float[] v = FeatureSet.newVector();
        v[0] = first;
        v[1] = Float.NaN;  // a missing feature on both sides is equal
        return v;
    }

    /** Two sides deciding a, b, c; {@code spark} edits the Spark side before the comparison. */
    private static ShadowParity.Parity compare(java.util.function.Consumer<ShadowParity.Side> spark) {
        Map<String, Decision> fd = new HashMap<>(), sd = new HashMap<>();
        Map<String, FeatureLog.Line> ff = new HashMap<>(), sf = new HashMap<>();
        long n = 1;
        for (String id : List.of("a", "b", "c")) {
            fd.put(id, decision(id, 0.2f, Action.APPROVE, n));
            sd.put(id, decision(id, 0.2f, Action.APPROVE, n));
            ff.put(id, new FeatureLog.Line(id, 0.2f, features(n)));
            sf.put(id, new FeatureLog.Line(id, 0.2f, features(n)));
            n++;
        }
        ShadowParity.Side s = new ShadowParity.Side(sd, sf, 0);
        spark.accept(s);
        return ShadowParity.compare(List.of("a", "b", "c"), new ShadowParity.Side(fd, ff, 0), s);
    }

    @Test
    void alikeEnginesAreAtParity() {
        ShadowParity.Parity p = compare(s -> { });
        assertTrue(p.atParity());
        assertEquals(3, p.decidedByBoth());
        assertEquals(3, p.deltaBuckets()[0]);
        assertEquals(3, p.featuresCompared());
    }

    @Test
    void aMissingDecisionIsAFindingOfItsSide() {
        ShadowParity.Parity p = compare(s -> s.decisions().remove("b"));
        assertFalse(p.atParity());
        assertEquals(0, p.missingFlink());
        assertEquals(1, p.missingSpark());
        assertEquals(List.of("b"), p.missingSparkIds());
    }

    @Test
    void anActionMismatchNamesTheFeaturesThatDiffer() {
        ShadowParity.Parity p = compare(s -> {
            s.decisions().put("c", decision("c", 0.9f, Action.DECLINE, 3));
            s.features().put("c", new FeatureLog.Line("c", 0.9f, features(42)));
        });
        assertFalse(p.atParity());
        assertEquals(1, p.actionMismatches());
        ShadowParity.ActionMismatch m = p.actionExamples().get(0);
        assertEquals(Action.APPROVE, m.flink());
        assertEquals(Action.DECLINE, m.spark());
        assertEquals(List.of(new ShadowParity.FeatureDiff(FeatureSet.NAMES.get(0), 3f, 42f)), m.features());
        assertEquals(Map.of(FeatureSet.NAMES.get(0), 1L), p.featureDiffs());
        assertEquals(1, p.deltaBuckets()[ShadowParity.DELTA_BOUNDS.length], "|Δ| 0.7 lands above 0.1");
        assertEquals(0.7, p.maxDelta(), 1e-6);
    }

    @Test
    void aScoreApartBeyondTheToleranceBreaksParityEvenWithTheSameAction() {
        ShadowParity.Parity p = compare(s -> s.decisions().put("a", decision("a", 0.2001f, Action.APPROVE, 1)));
        assertFalse(p.atParity());
        assertEquals(0, p.actionMismatches());
        assertEquals(1, p.deltaBuckets()[3], "|Δ| 1e-4 .. 1e-2");
    }

    @Test
    void cardCountersThatDisagreeAreCountedPerAuthorizationAndCard() {
        ShadowParity.Parity p = compare(s -> {
            s.decisions().put("b", decision("b", 0.2f, Action.APPROVE, 1));
            s.decisions().put("c", decision("c", 0.2f, Action.APPROVE, 2));
        });
        assertFalse(p.atParity());
        assertEquals(2, p.counterMismatches());
        assertEquals(1, p.cardsWithCounterMismatch());
        assertEquals(new ShadowParity.CounterMismatch("b", 2, 1, 2, 1), p.counterExamples().get(0));
    }

    @Test
    void aWatchOnOneSideBreaksParityEvenWhenTheActionAgrees() {
        ShadowParity.Parity p = compare(s -> s.decisions().put("a", new Decision("a", CARD, 0.2f, Action.APPROVE,
                List.of("RULE:VELOCITY_BURST"), "m1", null, 1, 1, 0, 0, 0)));
        assertFalse(p.atParity());
        assertEquals(0, p.actionMismatches());
        assertEquals(1, p.reasonMismatches());
    }

    @Test
    void aDecisionWithoutItsFeatureLineIsNotParity() {
        ShadowParity.Parity p = compare(s -> s.features().remove("a"));
        assertFalse(p.atParity());
        assertEquals(1, p.withoutFeatures());
        assertEquals(2, p.featuresCompared());
    }
}
