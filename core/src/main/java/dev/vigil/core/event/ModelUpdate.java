package dev.vigil.core.event;

/**
 * The record on {@code model-updates} that names a line's champion (compacted, key = line).
 * Publishing a model folder does not make it the champion; this record does.
 *
 * @param line           the model line (one per data set)
 * @param version        the model's version
 * @param uri            the model folder, {@code <store>/models/<line>/<version>}
 * @param checksum       {@code sha256:<hex>} of the booster file
 * @param featureSetHash the feature-set hash the model was trained on
 * @param publishedAtMs  when it was made champion
 */
public record ModelUpdate(String line, String version, String uri, String checksum, String featureSetHash,
                          long publishedAtMs) {
    public static final int SCHEMA_VERSION = 1;
}
