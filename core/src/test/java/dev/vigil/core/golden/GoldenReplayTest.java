package dev.vigil.core.golden;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.feature.MerchantRisk;
import dev.vigil.core.feature.MerchantRiskReading;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.model.TreeModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The golden file was written by the Flink job (realtime-scoring's ScoringJobIT). Replaying its
 * input card by card, in arrival order, through the fold — as any batch engine does — must give the
 * very same feature vectors, and the in-process evaluator the very same scores. The job had every
 * golden label before the traffic; here too, so each merchant's risk holds labels not yet known.
 */
class GoldenReplayTest {

    static List<String> lines(String name) throws IOException {
        try (InputStream in = GoldenReplayTest.class.getResourceAsStream("/golden/" + name)) {
            assertNotNull(in, "golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void aReplayOfTheGoldenInputGivesTheJobsVectorsAndScores() throws IOException {
        List<String> expected = lines("features.csv");
        assertEquals("authorization_id,score," + String.join(",", FeatureSet.NAMES), expected.get(0),
                "the golden file was written for this feature set");
        TreeModel model;
        try (InputStream in = GoldenReplayTest.class.getResourceAsStream("/golden/model.json")) {
            model = TreeModel.parseXgboostJson(in.readAllBytes());
        }
        Map<String, MerchantRisk> merchants = new HashMap<>();
        for (String json : lines("labels.jsonl")) {
            Label l = LabelCodec.INSTANCE.decode(json.getBytes(StandardCharsets.UTF_8)).value();
            merchants.computeIfAbsent(l.merchantId(), k -> new MerchantRisk()).add(l);
        }
        Map<String, CardState> cards = new HashMap<>();
        List<String> produced = new ArrayList<>();
        float[] v = FeatureSet.newVector();
        for (String json : lines("authorizations.jsonl")) {
            Authorization a = AuthorizationCodec.INSTANCE.decode(json.getBytes(StandardCharsets.UTF_8)).value();
            MerchantRisk risk = merchants.get(a.merchantId());
            MerchantRiskReading reading = risk == null ? MerchantRiskReading.NONE : risk.read(a.eventTimeMs());
            CardFold.step(cards.computeIfAbsent(a.cardToken(), k -> new CardState()), a, null, null, reading, v);
            StringBuilder b = new StringBuilder(a.authorizationId()).append(',').append(model.predict(v));
            for (float f : v) {
                b.append(',').append(f);
            }
            produced.add(b.toString());
        }
        assertEquals(expected.size() - 1, produced.size());
        for (int i = 0; i < produced.size(); i++) {
            assertEquals(expected.get(i + 1), produced.get(i), "line " + (i + 1));
        }
    }
}
