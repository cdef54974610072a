package dev.vigil.realtimescoring.model;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.world.DayTraffic;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Feature vectors folded from the synthetic world, with ground-truth labels: training data for tests. */
public record GeneratedFeatures(List<Authorization> authorizations, float[][] vectors, float[] labels) {

    public static GeneratedFeatures of(long seed, int cards, int days, double fraudScale) {
        World world = new World(new WorldConfig(seed, cards, LocalDate.of(2024, 3, 1), "f", fraudScale),
                new PanTokenizer(TokenKey.development()));
        Simulator sim = new Simulator(world);
        Map<String, CardState> states = new HashMap<>();
        List<Authorization> auths = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            DayTraffic day = sim.next();
            for (Generated g : day.authorizations()) {
                float[] v = FeatureSet.newVector();
                CardFold.step(states.computeIfAbsent(g.authorization().cardToken(), k -> new CardState()),
                        g.authorization(), null, null, v);
                auths.add(g.authorization());
                vectors.add(v);
                labels.add(g.fraud() ? 1f : 0f);
            }
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return new GeneratedFeatures(auths, vectors.toArray(float[][]::new), y);
    }

    public int size() {
        return vectors.length;
    }
}
