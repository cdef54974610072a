package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;

/**
 * Where the lake's tables live: one root URI, {@code file://} by default or {@code s3a://bucket/prefix}
 * on any S3-compatible store. Every table and streaming checkpoint is a folder under it.
 */
public record Lake(String root) {

    public Lake {
        root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        if (root.startsWith("s3://")) {
            root = "s3a" + root.substring(2); // Hadoop reaches S3 through s3a
        } else if (FileLocations.isFile(root)) {
            // Hadoop's own spelling (file:/x, not file:///x, and not percent-encoded): Delta compares
            // table locations as strings.
            root = FileLocations.of(FileLocations.path(root));
        } else if (!root.startsWith("s3a://")) {
            throw new IllegalArgumentException("lake URI must be file:, s3a:// or s3://, got: " + root);
        }
    }

    public boolean onS3() {
        return root.startsWith("s3a://");
    }

    public String bronze(String table) {
        return root + "/bronze/" + table;
    }

    public String quarantine() {
        return root + "/bronze/quarantine";
    }

    public String cardProfiles() {
        return root + "/profiles/card_profiles";
    }

    public String merchantProfiles() {
        return root + "/profiles/merchant_profiles";
    }

    /** Each card's token pairs across a key rotation ({@code lake rekey}). */
    public String tokenLineage() {
        return root + "/runs/token_lineage";
    }

    public String nightlyRuns() {
        return root + "/runs/nightly_runs";
    }

    public String checkpoint(String name) {
        return root + "/_checkpoints/" + name;
    }

    @Override
    public String toString() {
        return root;
    }
}
