package dev.vigil.core.model;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.Feature;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the decision path adds to the model's outcome, in one place for every engine: rules on the
 * fold's counters, and the card's watch. A rule is raised once, when its count first reaches the
 * threshold; it puts the card on watch for {@code watchMs} of event time, and while a card is on
 * watch an APPROVE becomes a REVIEW. (The Flink job's detections put cards on watch too; an engine
 * without them only has the rules' watches.) Before this lived here the Flink job alone applied it,
 * and a parallel run showed the Spark scorer approving what the job sent to review.
 *
 * @param velocityBurst  authorizations within ~10 minutes that raise {@code VELOCITY_BURST}
 * @param declineRetries host declines within ~1 hour that raise {@code DECLINE_RETRY}
 * @param watchMs        how long (event time) a raised rule keeps the card on watch
 */
public record DecisionRules(int velocityBurst, int declineRetries, long watchMs) implements Serializable {

    public static final DecisionRules DEFAULTS = new DecisionRules(8, 3, Duration.ofHours(24).toMillis());

    /** Reasons a decision carries at most. */
    public static final int MAX_REASONS = 16;

    /**
     * The decision of one authorization: its action and reasons, the model's own action (an alert is
     * named after what drove it), the rules raised, and the card's watch afterwards (null pattern: none).
     */
    public record Decided(Action action, List<String> reasons, Action modelAction, List<String> raised,
                          String watchPattern, long watchUntilMs) {
    }

    /**
     * Applies the watch the card is under ({@code watchPattern} null: none) and the rules this
     * authorization raises to the model's {@code outcome}. {@code vector} holds the features of the
     * authorization, whose counts are of the card's earlier authorizations.
     */
    public Decided decide(ModelScorer.Outcome outcome, Authorization a, float[] vector, String watchPattern,
                          long watchUntilMs) {
        List<String> raised = raised(a, vector);
        Action action = outcome.action();
        boolean watched = watchPattern != null && a.eventTimeMs() <= watchUntilMs;
        // Most authorizations are neither watched nor raise a rule: their reasons are the model's own list,
        // not a copy of it (this runs once per authorization on every engine).
        List<String> reasons = watched || !raised.isEmpty() ? new ArrayList<>(outcome.reasons()) : outcome.reasons();
        if (watched) {
            if (action == Action.APPROVE) {
                action = Action.REVIEW;
            }
            reasons.add("WATCH:" + watchPattern);
        }
        for (String rule : raised) {
            reasons.add("RULE:" + rule);
            watchPattern = rule;
            watchUntilMs = a.eventTimeMs() + watchMs;
        }
        if (reasons.size() > MAX_REASONS) {
            reasons = List.copyOf(reasons.subList(0, MAX_REASONS));
        }
        return new Decided(action, reasons, outcome.action(), raised, watchPattern, watchUntilMs);
    }

    /** The rules this authorization raises: once, when a count first reaches its threshold. */
    List<String> raised(Authorization a, float[] vector) {
        List<String> raised = List.of();
        // The vector holds counts of *earlier* authorizations; this one makes it one more.
        if ((int) vector[Feature.COUNT_10M.ordinal()] + 1 == velocityBurst) {
            raised = new ArrayList<>(raised);
            raised.add("VELOCITY_BURST");
        }
        if (a.declinedByHost() && (int) vector[Feature.DECLINES_1H.ordinal()] + 1 == declineRetries) {
            raised = new ArrayList<>(raised);
            raised.add("DECLINE_RETRY");
        }
        return raised;
    }
}
