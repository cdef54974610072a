package dev.vigil.core.model;

import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.feature.FeatureSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The model folder {@code <store>/models/<line>/<version>/}: booster, {@code manifest.json}, and a
 * {@code _PUBLISHED} marker written last, so that a reader never takes a half-written folder.
 * {@link #load} verifies everything before a model may serve.
 */
public final class ModelArtifacts {
    public static final String BOOSTER = "model.json";
    public static final String MARKER = "_PUBLISHED";

    private ModelArtifacts() {
    }

    public static String folder(String storeUri, String line, String version) {
        String base = storeUri.endsWith("/") ? storeUri.substring(0, storeUri.length() - 1) : storeUri;
        return base + "/models/" + line + "/" + version;
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a model folder: booster, then manifest, then the marker. The manifest's checksum must
     * be the booster's. Returns the champion record that would name it (not sent anywhere).
     */
    public static ModelUpdate publish(BlobStore store, String storeUri, byte[] booster, ModelManifest manifest,
                                      long nowMs, ModelSigning.Signer signer) throws IOException {
        if (!manifest.checksum().equals(sha256(booster))) {
            throw new IllegalArgumentException("manifest checksum does not match the booster");
        }
        String folder = folder(storeUri, manifest.line(), manifest.version());
        if (store.exists(folder + "/" + MARKER)) {
            throw new IOException("model " + folder + " is already published; versions are immutable");
        }
        store.write(folder + "/" + manifest.boosterFile(), booster);
        byte[] manifestBytes = manifest.toJson();
        store.write(folder + "/" + ModelManifest.FILE, manifestBytes);
        store.write(folder + "/" + ModelSigning.SIGNATURE_FILE, signer.sign(manifestBytes));
        store.write(folder + "/" + MARKER, manifest.checksum().getBytes(StandardCharsets.US_ASCII));
        return new ModelUpdate(manifest.line(), manifest.version(), folder, manifest.checksum(),
                manifest.featureSetHash(), nowMs);
    }

    /** Where two feature lists part: the first position whose names differ, or the lengths. */
    static String firstDifference(List<String> model, List<String> build) {
        for (int i = 0; i < Math.min(model.size(), build.size()); i++) {
            if (!model.get(i).equals(build.get(i))) {
                return "feature " + i + " is '" + model.get(i) + "', this build computes '" + build.get(i) + "'";
            }
        }
        return model.size() + " names, this build has " + build.size();
    }

    /**
     * Reads and verifies the model an update names: signed by a trusted key, then every check below;
     * any mismatch is a {@link ModelRejected}.
     */
    public static ServingModel load(ModelUpdate update, BlobStore store, ModelSigning.Trust trust) throws ModelRejected {
        String folder = update.uri();
        try {
            if (!store.exists(folder + "/" + MARKER)) {
                throw new ModelRejected("model " + update.version() + " is not published (no " + MARKER + " in " + folder + ")");
            }
            byte[] manifestBytes = store.read(folder + "/" + ModelManifest.FILE);
            if (!store.exists(folder + "/" + ModelSigning.SIGNATURE_FILE)) {
                throw new ModelRejected("model " + update.version() + " is not signed (no "
                        + ModelSigning.SIGNATURE_FILE + " in " + folder + ")");
            }
            String unsigned = trust.problem(manifestBytes, store.read(folder + "/" + ModelSigning.SIGNATURE_FILE));
            if (unsigned != null) {
                throw new ModelRejected("model " + update.version() + " is refused: " + unsigned);
            }
            ModelManifest manifest;
            try {
                manifest = ModelManifest.fromJson(manifestBytes);
            } catch (IOException e) {
                throw new ModelRejected("model " + update.version() + " has an unreadable manifest: " + e.getMessage(), e);
            }
            if (!manifest.version().equals(update.version()) || !manifest.line().equals(update.line())) {
                throw new ModelRejected("manifest names " + manifest.line() + "/" + manifest.version()
                        + ", the update " + update.line() + "/" + update.version());
            }
            List<String> expected = FeatureSet.NAMES;
            if (!manifest.featureNames().equals(expected)) {
                throw new ModelRejected("model " + update.version() + " was trained on other features ("
                        + firstDifference(manifest.featureNames(), expected) + ")");
            }
            if (!manifest.featureSetHash().equals(FeatureSet.HASH) || !update.featureSetHash().equals(FeatureSet.HASH)) {
                throw new ModelRejected("model " + update.version() + " has feature-set hash "
                        + manifest.featureSetHash() + ", this build " + FeatureSet.HASH);
            }
            byte[] booster = store.read(folder + "/" + manifest.boosterFile());
            String checksum = sha256(booster);
            if (!checksum.equals(manifest.checksum()) || !checksum.equals(update.checksum())) {
                throw new ModelRejected("model " + update.version() + " fails its checksum (file " + checksum
                        + ", manifest " + manifest.checksum() + ", update " + update.checksum() + ")");
            }
            double review = manifest.reviewThreshold(), decline = manifest.declineThreshold();
            if (!(review > 0 && review <= decline && decline <= 1)) {
                throw new ModelRejected("model " + update.version() + " has thresholds out of order: review "
                        + review + ", decline " + decline);
            }
            TreeModel trees;
            try {
                trees = TreeModel.parseXgboostJson(booster);
            } catch (IOException | RuntimeException e) {
                throw new ModelRejected("model " + update.version() + " is not a usable XGBoost model: " + e.getMessage(), e);
            }
            if (trees.numFeatures() != FeatureSet.SIZE) {
                throw new ModelRejected("model " + update.version() + " expects " + trees.numFeatures()
                        + " features, this build computes " + FeatureSet.SIZE);
            }
            return new ServingModel(update, manifest, trees);
        } catch (IOException e) {
            throw new ModelRejected("model " + update.version() + " could not be read from " + folder + ": " + e, e);
        }
    }
}
