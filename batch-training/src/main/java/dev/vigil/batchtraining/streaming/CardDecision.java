package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import scala.Tuple2;

/** One authorization through core's fold and the champion: the decision record both Spark scorers write. */
final class CardDecision {
    private CardDecision() {
    }

    /**
     * Folds the authorization into {@code state} and scores it; the decision keyed by card, or null
     * for a record that does not decode (the Flink job dead-letters those; the comparison sends none).
     *
     * @param vector         scratch for the features, {@code FeatureSet.SIZE} long
     * @param receivedMicros when the scorer took the record, for the decision's processing time
     */
    static Tuple2<String, byte[]> of(String card, byte[] value, CardState state, ServingModel model, ModelScorer scorer,
                                     float[] vector, long receivedMicros) {
        Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(value);
        if (!d.isOk()) {
            return null;
        }
        Authorization a = d.value();
        CardFold.step(state, a, null, null, vector);
        ModelScorer.Outcome o = scorer.score(model, vector);
        long now = WallClock.micros();
        Decision decision = new Decision(a.authorizationId(), card, o.score(), o.action(), o.reasons(),
                model == null ? null : model.version(), null, state.authCount(), state.lastSeq(), a.eventTimeMs(),
                now / 1000, Math.max(0, now - receivedMicros));
        return new Tuple2<>(card, DecisionCodec.INSTANCE.encode(decision));
    }
}
