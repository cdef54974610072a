package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.model.DecisionRules;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import scala.Tuple2;

/** One authorization through core's fold (with its profiles), the champion and core's rules: the decision both Spark scorers write. */
final class CardDecision {
    private CardDecision() {
    }

    /**
     * Folds the authorization into the card's state with the profiles its date allows, scores it and
     * applies core's rules and the card's watch, as the Flink job does; the decision, or null for a
     * record that does not decode (the Flink job dead-letters those; the comparison sends none) and
     * for one the card's state has folded already (a resend: the job does not decide it again).
     *
     * @param vector         scratch for the features, {@code FeatureSet.SIZE} long; holds this
     *                       authorization's features afterwards (for the shadow run's feature log)
     * @param receivedMicros when the scorer took the record, for the decision's processing time
     */
    static Decision of(String card, byte[] value, ScorerCardState state, ProfileSnapshot profiles, ServingModel model,
                       ModelScorer scorer, DecisionRules rules, float[] vector, long receivedMicros) {
        Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(value);
        if (!d.isOk() || CardFold.folded(state.card, d.value())) {
            return null;
        }
        Authorization a = d.value();
        CardProfile cardProfile = profiles.card(a.cardToken(), a.eventTimeMs());
        CardFold.step(state.card, a, cardProfile, profiles.merchant(a.merchantId(), a.eventTimeMs()), vector);
        ModelScorer.Outcome o = scorer.score(model, vector);
        DecisionRules.Decided decided = rules.decide(o, a, vector, state.watchPattern, state.watchUntilMs);
        state.watchPattern = decided.watchPattern();
        state.watchUntilMs = decided.watchUntilMs();
        long now = WallClock.micros();
        return new Decision(a.authorizationId(), card, o.score(), decided.action(), decided.reasons(),
                model == null ? null : model.version(), cardProfile == null ? null : cardProfile.asOf().toString(),
                state.card.authCount(), state.card.lastSeq(), a.eventTimeMs(), now / 1000, Math.max(0, now - receivedMicros));
    }

    /** The decision as its topic's record: keyed by card. */
    static Tuple2<String, byte[]> record(Decision d) {
        return new Tuple2<>(d.cardToken(), DecisionCodec.INSTANCE.encode(d));
    }
}
