package dev.vigil.core.model;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.Feature;
import dev.vigil.core.feature.FeatureSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DecisionRulesTest {
    private static final DecisionRules RULES = DecisionRules.DEFAULTS;
    private static final Authorization A = TestData.auth("a-1", 0, 4250);

    private static ModelScorer.Outcome approve() {
        return new ModelScorer.Outcome(0.1f, Action.APPROVE, new ArrayList<>(List.of("amount")));
    }

    private static float[] earlierInTenMinutes(int count) {
        float[] v = FeatureSet.newVector();
        v[Feature.COUNT_10M.ordinal()] = count;
        return v;
    }

    @Test
    void aCardOffWatchKeepsTheModelsDecision() {
        DecisionRules.Decided d = RULES.decide(approve(), A, earlierInTenMinutes(2), null, 0);
        assertEquals(Action.APPROVE, d.action());
        assertEquals(List.of("amount"), d.reasons());
        assertNull(d.watchPattern());
    }

    @Test
    void theBurstRuleIsRaisedOnceAtItsThresholdAndPutsTheCardOnWatch() {
        DecisionRules.Decided at = RULES.decide(approve(), A, earlierInTenMinutes(RULES.velocityBurst() - 1), null, 0);
        assertEquals(List.of("VELOCITY_BURST"), at.raised());
        assertEquals(Action.APPROVE, at.action(), "the rule's own authorization keeps the model's action; it alerts");
        assertEquals(List.of("amount", "RULE:VELOCITY_BURST"), at.reasons());
        assertEquals("VELOCITY_BURST", at.watchPattern());
        assertEquals(A.eventTimeMs() + RULES.watchMs(), at.watchUntilMs());

        DecisionRules.Decided past = RULES.decide(approve(), A, earlierInTenMinutes(RULES.velocityBurst()), null, 0);
        assertEquals(List.of(), past.raised(), "raised when the count first reaches the threshold, not after");
    }

    @Test
    void aWatchedCardsApproveBecomesAReviewUntilTheWatchEnds() {
        DecisionRules.Decided watched = RULES.decide(approve(), A, earlierInTenMinutes(0), "CARD_TESTING", A.eventTimeMs());
        assertEquals(Action.REVIEW, watched.action());
        assertEquals(Action.APPROVE, watched.modelAction());
        assertEquals(List.of("amount", "WATCH:CARD_TESTING"), watched.reasons());

        DecisionRules.Decided over = RULES.decide(approve(), A, earlierInTenMinutes(0), "CARD_TESTING", A.eventTimeMs() - 1);
        assertEquals(Action.APPROVE, over.action());
        assertEquals("CARD_TESTING", over.watchPattern(), "an expired watch is kept until a rule replaces it");
    }

    @Test
    void aDeclineIsNotSoftenedByAWatchAndReasonsAreCapped() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < DecisionRules.MAX_REASONS - 1; i++) {
            many.add("r" + i);
        }
        ModelScorer.Outcome decline = new ModelScorer.Outcome(0.99f, Action.DECLINE, many);
        DecisionRules.Decided d = RULES.decide(decline, A, earlierInTenMinutes(0), "IMPOSSIBLE_TRAVEL", A.eventTimeMs());
        assertEquals(Action.DECLINE, d.action());
        assertEquals(DecisionRules.MAX_REASONS, d.reasons().size());
        assertEquals("WATCH:IMPOSSIBLE_TRAVEL", d.reasons().get(DecisionRules.MAX_REASONS - 1), "the watch is the last reason kept");

        DecisionRules.Decided capped = RULES.decide(new ModelScorer.Outcome(0.99f, Action.DECLINE, d.reasons()), A,
                earlierInTenMinutes(0), "IMPOSSIBLE_TRAVEL", A.eventTimeMs());
        assertEquals(DecisionRules.MAX_REASONS, capped.reasons().size(), "no more than the cap, however many come in");
    }
}
