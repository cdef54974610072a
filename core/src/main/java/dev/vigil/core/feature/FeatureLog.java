package dev.vigil.core.feature;

import java.nio.charset.StandardCharsets;

/**
 * One line per decided authorization: {@code authorization_id,score,f0,...,fN}, floats in Java's
 * shortest round-trip form (so the text parses back to the very same float32), NaN for missing.
 * The golden parity file uses this format; so do the engines' feature logs that the shadow run
 * compares, which is why it lives here: one writer and one reader for every engine.
 */
public final class FeatureLog {
    private FeatureLog() {
    }

    /** One logged decision: its authorization, the score, the feature vector in {@link FeatureSet} order. */
    public record Line(String authorizationId, float score, float[] vector) {
    }

    public static byte[] line(String authorizationId, float score, float[] vector) {
        StringBuilder b = new StringBuilder(authorizationId.length() + 12 * (vector.length + 1));
        b.append(authorizationId).append(',').append(score);
        for (float v : vector) {
            b.append(',').append(v);
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a line back; a line of another feature set's size or with a value that is not a float is refused. */
    public static Line parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != FeatureSet.SIZE + 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("a feature log line has an id, a score and " + FeatureSet.SIZE
                    + " features; this one has " + (parts.length - 1) + " values");
        }
        float[] vector = new float[FeatureSet.SIZE];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = Float.parseFloat(parts[i + 2]);
        }
        return new Line(parts[0], Float.parseFloat(parts[1]), vector);
    }
}
