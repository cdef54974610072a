package dev.vigil.core.feature;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureLogTest {

    @Test
    void aLineReadsBackToTheSameFloats() {
        float[] vector = FeatureSet.newVector();
        for (int i = 0; i < vector.length; i++) {
            vector[i] = i % 3 == 0 ? Float.NaN : (float) Math.PI * i / 7f;
        }
        String text = new String(FeatureLog.line("a-1", 0.12345678f, vector), StandardCharsets.US_ASCII);

        FeatureLog.Line back = FeatureLog.parse(text);

        assertEquals("a-1", back.authorizationId());
        assertEquals(0.12345678f, back.score());
        assertArrayEquals(vector, back.vector());
    }

    @Test
    void aLineOfAnotherFeatureSetIsRefused() {
        String shortLine = "a-1,0.5,1.0,2.0";
        var e = assertThrows(IllegalArgumentException.class, () -> FeatureLog.parse(shortLine));
        assertEquals("a feature log line has an id, a score and " + FeatureSet.SIZE + " features; this one has 3 values",
                e.getMessage());
        String text = new String(FeatureLog.line("a-1", 0.5f, FeatureSet.newVector()), StandardCharsets.US_ASCII);
        assertThrows(NumberFormatException.class, () -> FeatureLog.parse(text.replace(",0.0", ",x")));
    }
}
