package dev.vigil.core.feature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The ordered feature names and their hash. A model's manifest records both; a scorer refuses a
 * model whose list or hash differs from what this build computes.
 */
public final class FeatureSet {
    /** Bump when any feature's definition changes, even if the names stay. */
    public static final String VERSION = "vigil-features/4";
    public static final List<String> NAMES =
            Arrays.stream(Feature.values()).map(Feature::featureName).toList();
    public static final int SIZE = NAMES.size();
    public static final String HASH = hash(VERSION, NAMES);

    private FeatureSet() {
    }

    /** SHA-256 over the version and the names in order, hex. */
    public static String hash(String version, List<String> names) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(version.getBytes(StandardCharsets.UTF_8));
            for (String n : names) {
                md.update((byte) '\n');
                md.update(n.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static float[] newVector() {
        return new float[SIZE];
    }
}
