package dev.vigil.loadtest.shadow;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.feature.FeatureSet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parallel run's verdict: two engines' decisions of the same authorizations, compared one
 * authorization at a time. Where both run core's fold and the same champion, parity is the
 * expected result, so every difference this finds is a finding to explain, not noise to tolerate.
 */
public final class ShadowParity {
    /**
     * Scores closer than this are equal. Both engines score with core's {@code ModelScorer} on the
     * same float32 features, so they agree to the bit; the slack only keeps a JIT's different
     * summation order (were it ever to differ) from reading as a finding.
     */
    public static final double SCORE_TOLERANCE = 1e-6;

    /** Upper bounds of the score |Δ| buckets; the last bucket is everything above 0.1. */
    public static final double[] DELTA_BOUNDS = {0, 1e-6, 1e-4, 1e-2, 0.1};

    static final int EXAMPLES = 25;

    private ShadowParity() {
    }

    /** One engine's output: its first decision and feature-log line per authorization, and how many repeats it sent. */
    public record Side(Map<String, Decision> decisions, Map<String, FeatureLog.Line> features, long duplicates) {
    }

    /** A feature whose value the two engines disagree on, for one authorization. */
    public record FeatureDiff(String feature, float flink, float spark) {
    }

    /**
     * An authorization the two engines acted on differently, and why: the features that differ, and
     * each side's reasons (a watch or a rule shows there when the features are alike).
     */
    public record ActionMismatch(String authorizationId, Action flink, Action spark, float flinkScore, float sparkScore,
                                 List<FeatureDiff> features, List<String> flinkReasons, List<String> sparkReasons) {
    }

    /** The first authorization on which a feature differed, and its two values. */
    public record FeatureExample(String authorizationId, float flink, float spark) {
    }

    /** An authorization after which the engines' card state disagrees: count or last sequence number. */
    public record CounterMismatch(String authorizationId, long flinkCount, long sparkCount, long flinkSeq, long sparkSeq) {
    }

    /**
     * @param deltaBuckets   authorizations per score |Δ| bucket ({@link #DELTA_BOUNDS}, then &gt; 0.1)
     * @param oneSideScored  authorizations that one engine scored and the other did not (no model)
     * @param featureDiffs   per feature, the authorizations whose value differs (where both logged features)
     * @param featureExamples per feature that differs, the first authorization where it did and both values
     * @param withoutFeatures authorizations decided by both without a feature line from each
     * @param reasonMismatches authorizations whose reasons differ (a rule or a watch on one side only
     *                        shows here even when the action is the same)
     * @param profileMismatches authorizations decided with different card profile versions
     */
    public record Parity(long sent, long decidedByBoth, long missingFlink, long missingSpark, List<String> missingFlinkIds,
                         List<String> missingSparkIds, long duplicatesFlink, long duplicatesSpark, long[] deltaBuckets,
                         double maxDelta, long oneSideScored, long modelMismatches, long actionMismatches,
                         List<ActionMismatch> actionExamples, long counterMismatches, long cardsWithCounterMismatch,
                         List<CounterMismatch> counterExamples, Map<String, Long> featureDiffs,
                         Map<String, FeatureExample> featureExamples, long featuresCompared, long withoutFeatures,
                         long reasonMismatches, long profileMismatches) {

        /** Nothing to explain: every authorization decided by both, alike in action, score, model, state and features. */
        public boolean atParity() {
            return sent > 0 && missingFlink == 0 && missingSpark == 0 && maxDelta <= SCORE_TOLERANCE && oneSideScored == 0
                    && modelMismatches == 0 && actionMismatches == 0 && counterMismatches == 0 && featureDiffs.isEmpty()
                    && withoutFeatures == 0 && reasonMismatches == 0 && profileMismatches == 0;
        }
    }

    /** Compares the engines' decisions of {@code sent} (authorization ids, in the order sent). */
    public static Parity compare(List<String> sent, Side flink, Side spark) {
        long both = 0, missingFlink = 0, missingSpark = 0, oneSideScored = 0, models = 0, actions = 0, counters = 0;
        long compared = 0, withoutFeatures = 0, reasons = 0, profiles = 0;
        double maxDelta = 0;
        long[] buckets = new long[DELTA_BOUNDS.length + 1];
        List<String> missingFlinkIds = new ArrayList<>(), missingSparkIds = new ArrayList<>();
        List<ActionMismatch> actionExamples = new ArrayList<>();
        List<CounterMismatch> counterExamples = new ArrayList<>();
        Set<String> cards = new HashSet<>();
        Map<String, Long> featureDiffs = new LinkedHashMap<>();
        Map<String, FeatureExample> featureExamples = new LinkedHashMap<>();
        for (String id : sent) {
            Decision f = flink.decisions().get(id), s = spark.decisions().get(id);
            if (f == null) {
                missingFlink++;
                note(missingFlinkIds, id);
            }
            if (s == null) {
                missingSpark++;
                note(missingSparkIds, id);
            }
            if (f == null || s == null) {
                continue;
            }
            both++;
            boolean fScored = !Float.isNaN(f.score()), sScored = !Float.isNaN(s.score());
            if (fScored != sScored) {
                oneSideScored++;
            } else if (fScored) {
                double delta = Math.abs((double) f.score() - s.score());
                maxDelta = Math.max(maxDelta, delta);
                buckets[bucket(delta)]++;
            } else {
                buckets[0]++;
            }
            if (!java.util.Objects.equals(f.modelVersion(), s.modelVersion())) {
                models++;
            }
            if (!f.reasons().equals(s.reasons())) {
                reasons++;
            }
            if (!java.util.Objects.equals(f.profileAsOf(), s.profileAsOf())) {
                profiles++;
            }
            FeatureLog.Line fl = flink.features().get(id), sl = spark.features().get(id);
            List<FeatureDiff> diffs = List.of();
            if (fl == null || sl == null) {
                withoutFeatures++;
            } else {
                compared++;
                diffs = differences(fl.vector(), sl.vector());
                for (FeatureDiff d : diffs) {
                    featureDiffs.merge(d.feature(), 1L, Long::sum);
                    featureExamples.putIfAbsent(d.feature(), new FeatureExample(id, d.flink(), d.spark()));
                }
            }
            if (f.action() != s.action()) {
                actions++;
                if (actionExamples.size() < EXAMPLES) {
                    actionExamples.add(new ActionMismatch(id, f.action(), s.action(), f.score(), s.score(), diffs,
                            f.reasons(), s.reasons()));
                }
            }
            if (f.cardAuthCount() != s.cardAuthCount() || f.cardLastSeq() != s.cardLastSeq()) {
                counters++;
                cards.add(f.cardToken());
                if (counterExamples.size() < EXAMPLES) {
                    counterExamples.add(new CounterMismatch(id, f.cardAuthCount(), s.cardAuthCount(), f.cardLastSeq(),
                            s.cardLastSeq()));
                }
            }
        }
        return new Parity(sent.size(), both, missingFlink, missingSpark, missingFlinkIds, missingSparkIds,
                flink.duplicates(), spark.duplicates(), buckets, maxDelta, oneSideScored, models, actions, actionExamples,
                counters, cards.size(), counterExamples, featureDiffs, featureExamples, compared, withoutFeatures, reasons,
                profiles);
    }

    /** The features whose float32 values differ (NaN, a missing feature, equals NaN). */
    static List<FeatureDiff> differences(float[] flink, float[] spark) {
        List<FeatureDiff> out = new ArrayList<>();
        for (int i = 0; i < FeatureSet.SIZE; i++) {
            if (Float.compare(flink[i], spark[i]) != 0) {
                out.add(new FeatureDiff(FeatureSet.NAMES.get(i), flink[i], spark[i]));
            }
        }
        return out;
    }

    static int bucket(double delta) {
        for (int i = 0; i < DELTA_BOUNDS.length; i++) {
            if (delta <= DELTA_BOUNDS[i]) {
                return i;
            }
        }
        return DELTA_BOUNDS.length;
    }

    private static void note(List<String> examples, String id) {
        if (examples.size() < EXAMPLES) {
            examples.add(id);
        }
    }
}
