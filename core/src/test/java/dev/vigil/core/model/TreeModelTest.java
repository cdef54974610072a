package dev.vigil.core.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TreeModelTest {
    // Tree 0: x0 < 10 ? (x1 < 0.5 ? 0.3 : -0.2) : 0.8; missing x0 goes right, missing x1 goes left.
    static final XgboostJson.Tree T0 = new XgboostJson.Tree(
            new int[]{1, 3, -1, -1, -1}, new int[]{2, 4, -1, -1, -1}, new int[]{0, 1, 0, 0, 0},
            new float[]{10f, 0.5f, 0.8f, 0.3f, -0.2f}, new int[]{0, 1, 0, 0, 0}, new float[]{10, 6, 4, 3, 3});
    // Tree 1: x2 < 1 ? -0.1 : 0.4; missing goes left.
    static final XgboostJson.Tree T1 = new XgboostJson.Tree(
            new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{2, 0, 0},
            new float[]{1f, -0.1f, 0.4f}, new int[]{1, 0, 0}, new float[]{10, 5, 5});

    static TreeModel model() throws IOException {
        return TreeModel.parseXgboostJson(XgboostJson.model(3, 0.25f, List.of(T0, T1)));
    }

    @Test
    void followsSplitsDefaultDirectionsAndTheBaseMargin() throws IOException {
        TreeModel m = model();
        float base = (float) -Math.log(1.0f / 0.25f - 1.0f);
        assertEquals(base + 0.3f + -0.1f, m.margin(new float[]{5, 0.1f, 0}));
        assertEquals(base + -0.2f + 0.4f, m.margin(new float[]{5, 0.5f, 1}), "equal to the split goes right");
        assertEquals(base + 0.8f + -0.1f, m.margin(new float[]{Float.NaN, 0, Float.NaN}), "missing follows default");
        assertEquals(base + 0.3f + 0.4f, m.margin(new float[]{1, Float.NaN, 2}));
        float p = m.predict(new float[]{5, 0.1f, 0});
        assertEquals(1 / (1 + Math.exp(-(base + 0.2))), p, 1e-6);
    }

    @Test
    void marginsAfterEachRoundCountAreThoseOfTheTruncatedBooster() throws IOException {
        TreeModel m = model();
        TreeModel firstOnly = TreeModel.parseXgboostJson(XgboostJson.model(3, 0.25f, List.of(T0)));
        float[] x = {5, 0.1f, 2};
        float[] out = new float[3];
        m.marginsAfter(x, new int[]{1, 2, 50}, out);
        assertEquals(firstOnly.margin(x), out[0]);
        assertEquals(m.margin(x), out[1]);
        assertEquals(m.margin(x), out[2], "a count past the last tree is the whole booster");
    }

    @Test
    void contributionsAddUpToTheMarginMinusTheExpectedValue() throws IOException {
        TreeModel m = model();
        float[] x = {20, 0.1f, 5};
        float[] contributions = new float[3];
        float p = m.predict(x, contributions);
        assertEquals(m.predict(x), p);
        // Root means: tree 0 = (0.8*4 + (0.3*3 - 0.2*3)/6*6)/10, tree 1 = (-0.1*5 + 0.4*5)/10.
        double expected0 = (0.8 * 4 + 0.05 * 6) / 10, expected1 = 0.15;
        float base = (float) -Math.log(3.0);
        double sum = contributions[0] + contributions[1] + contributions[2];
        assertEquals(m.margin(x) - base - expected0 - expected1, sum, 1e-6);
        assertTrue(contributions[0] > 0 && contributions[2] > 0, "both splits pushed the score up");
        assertEquals(0, contributions[1], "x1 was not on the path");
    }

    @Test
    void refusesWhatItCannotEvaluateExactly() {
        String ok = new String(XgboostJson.model(3, 0.25f, List.of(T0)), StandardCharsets.UTF_8);
        for (String broken : List.of(
                ok.replace("binary:logistic", "reg:squarederror"),
                ok.replace("\"gbtree\"}", "\"dart\"}"),
                ok.replace("\"split_type\":[0,0,0,0,0]", "\"split_type\":[1,0,0,0,0]"),
                ok.replace("\"split_indices\":[0,1,0,0,0]", "\"split_indices\":[7,1,0,0,0]"),
                ok.replace("\"right_children\":[2,4,-1,-1,-1]", "\"right_children\":[2,4,-1,-1]"),
                ok.substring(0, ok.length() / 2))) {
            assertThrows(IOException.class, () -> TreeModel.parseXgboostJson(broken.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
