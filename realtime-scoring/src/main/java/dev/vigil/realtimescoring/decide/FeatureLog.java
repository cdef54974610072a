package dev.vigil.realtimescoring.decide;

import java.nio.charset.StandardCharsets;

/**
 * One line per decided authorization: {@code authorization_id,score,f0,...,fN}, floats in Java's
 * shortest round-trip form (so the text parses back to the very same float32), NaN for missing.
 * The golden parity file uses this format.
 */
public final class FeatureLog {
    private FeatureLog() {
    }

    public static byte[] line(String authorizationId, float score, float[] vector) {
        StringBuilder b = new StringBuilder(authorizationId.length() + 12 * (vector.length + 1));
        b.append(authorizationId).append(',').append(score);
        for (float v : vector) {
            b.append(',').append(v);
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
