package dev.vigil.realtimescoring.model;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.TreeModel;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process evaluator against XGBoost 3.1.1's Booster: the same probability within 1e-6 on
 * realistic vectors from the synthetic world and on random vectors full of missing values.
 */
class EvaluatorParityTest {
    static GeneratedFeatures data;
    static Booster booster;
    static TreeModel evaluator;

    @BeforeAll
    static void train() throws Exception {
        data = GeneratedFeatures.of(21, 1_500, 6, 30.0);
        booster = XgboostOracle.train(data.vectors(), data.labels(), 120, 6, 1);
        evaluator = TreeModel.parseXgboostJson(XgboostOracle.json(booster));
    }

    private static void assertParity(float[][] rows) throws Exception {
        float[] expected = XgboostOracle.predict(booster, rows);
        double worst = 0;
        for (int i = 0; i < rows.length; i++) {
            float got = evaluator.predict(rows[i]);
            worst = Math.max(worst, Math.abs(got - expected[i]));
            assertEquals(expected[i], got, 1e-6, "row " + i);
        }
        System.out.printf("parity on %,d rows: worst |delta| = %.3g%n", rows.length, worst);
    }

    @Test
    void theWorldIsLearnableSoTheTreesAreReal() {
        assertEquals(FeatureSet.SIZE, evaluator.numFeatures());
        assertEquals(120, evaluator.numTrees());
        double fraud = 0;
        for (float y : data.labels()) {
            fraud += y;
        }
        assertTrue(fraud > 100, "enough fraud to learn from: " + fraud);
    }

    @Test
    void matchesTheBoosterOnRealisticVectors() throws Exception {
        assertParity(data.vectors());
    }

    @Test
    void matchesTheBoosterOnRandomVectorsWithMissingValues() throws Exception {
        Random r = new Random(9);
        float[][] rows = new float[5_000][];
        float[][] real = data.vectors();
        for (int i = 0; i < rows.length; i++) {
            float[] row = real[r.nextInt(real.length)].clone();
            for (int f = 0; f < row.length; f++) {
                double u = r.nextDouble();
                if (u < 0.2) {
                    row[f] = Float.NaN;
                } else if (u < 0.4) {
                    row[f] = (float) (r.nextGaussian() * 1000);
                } else if (u < 0.5) {
                    // exactly on a plausible split boundary: integers and halves
                    row[f] = r.nextInt(20) / 2f;
                }
            }
            rows[i] = row;
        }
        assertParity(rows);
    }
}
