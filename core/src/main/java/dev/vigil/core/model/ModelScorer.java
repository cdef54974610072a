package dev.vigil.core.model;

import dev.vigil.core.event.Action;
import dev.vigil.core.feature.FeatureSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the model says about one feature vector: the score, the action its thresholds give, and
 * the reason codes (the features that pushed the score up most, for REVIEW and DECLINE only; they
 * cost a second pass over the trees). Every scorer (the Flink job, the Spark streaming scorer) calls
 * this, so the same vector gets the same answer everywhere. Not thread-safe: one per thread/task.
 */
public final class ModelScorer {
    public static final int REASONS = 3;
    public static final String NO_MODEL = "NO_MODEL";

    /** The model's part of a decision; policy overrides (watches, rules) come on top. */
    public record Outcome(float score, Action action, List<String> reasons) {
    }

    private final float[] contributions = new float[FeatureSet.SIZE];

    /** With no model (first boot) the outcome is APPROVE with reason {@code NO_MODEL} and a NaN score. */
    public Outcome score(ServingModel model, float[] vector) {
        List<String> reasons = new ArrayList<>(4);
        if (model == null) {
            reasons.add(NO_MODEL);
            return new Outcome(Float.NaN, Action.APPROVE, reasons);
        }
        float score = model.trees().predict(vector);
        Action action = score >= model.manifest().declineThreshold() ? Action.DECLINE
                : score >= model.manifest().reviewThreshold() ? Action.REVIEW : Action.APPROVE;
        if (action != Action.APPROVE) {
            topReasons(model, vector, reasons);
        }
        return new Outcome(score, action, reasons);
    }

    private void topReasons(ServingModel model, float[] vector, List<String> reasons) {
        Arrays.fill(contributions, 0f);
        model.trees().predict(vector, contributions);
        boolean[] taken = new boolean[contributions.length];
        for (int r = 0; r < REASONS; r++) {
            int best = -1;
            for (int f = 0; f < contributions.length; f++) {
                if (!taken[f] && contributions[f] > 0 && (best < 0 || contributions[f] > contributions[best])) {
                    best = f;
                }
            }
            if (best < 0) {
                return;
            }
            taken[best] = true;
            reasons.add(FeatureSet.NAMES.get(best));
        }
    }
}
