package dev.vigil.core.model;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.feature.FeatureSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelArtifactsTest {
    private final LocalBlobStore store = new LocalBlobStore();

    /** A valid booster over the full feature set: one tree splitting on feature 0. */
    static byte[] booster() {
        XgboostJson.Tree t = new XgboostJson.Tree(new int[]{1, -1, -1}, new int[]{2, -1, -1}, new int[]{0, 0, 0},
                new float[]{3f, -1f, 2f}, new int[]{1, 0, 0}, new float[]{10, 5, 5});
        return XgboostJson.model(FeatureSet.SIZE, 0.1f, List.of(t));
    }

    static ModelManifest manifest(String version, byte[] booster) {
        return new ModelManifest("test", version, ModelArtifacts.BOOSTER, ModelArtifacts.sha256(booster),
                FeatureSet.NAMES, FeatureSet.HASH, 0.5, 0.9, "2024-01-01", "2024-01-31", 7,
                Map.of("train", 1000L), Map.of("average_precision", 0.7), Map.of("average_precision", 0.4),
                "2024-02-08T03:00:00Z", Map.of("max_depth", "6", "chosen_by", "validation average precision"));
    }

    private static final ModelSigning.Signer SIGNER = ModelSigning.developmentSigner();
    private static final ModelSigning.Trust TRUST = ModelSigning.developmentTrust();

    @Test
    void aPublishedModelLoadsAndScores(@TempDir Path dir) throws Exception {
        byte[] booster = booster();
        ModelUpdate update = ModelArtifacts.publish(store, FileLocations.of(dir), booster, manifest("v1", booster), 1, SIGNER);
        assertTrue(update.uri().endsWith("/models/test/v1"));
        ServingModel model = ModelArtifacts.load(update, store, TRUST);
        assertEquals("v1", model.version());
        assertEquals(0.9, model.manifest().declineThreshold());
        assertEquals(manifest("v1", booster), ModelManifest.fromJson(model.manifest().toJson()));
        float[] x = FeatureSet.newVector();
        x[0] = 5;
        assertEquals(1 / (1 + Math.exp(-(-Math.log(9) + 2))), model.trees().predict(x), 1e-6);
        assertThrows(IOException.class, () -> ModelArtifacts.publish(store, FileLocations.of(dir), booster,
                manifest("v1", booster), 2, SIGNER), "versions are immutable");
    }

    @Test
    void everyBrokenModelIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        byte[] booster = booster();
        String root = FileLocations.of(dir);
        List<String> reasons = new ArrayList<>();

        ModelUpdate truncated = ModelArtifacts.publish(store, root, booster, manifest("truncated", booster), 1, SIGNER);
        Path file = FileLocations.path(truncated.uri() + "/" + ModelArtifacts.BOOSTER);
        Files.write(file, java.util.Arrays.copyOf(booster, booster.length / 2));
        reasons.add(assertThrows(ModelRejected.class, () -> ModelArtifacts.load(truncated, store, TRUST)).getMessage());

        ModelUpdate good = ModelArtifacts.publish(store, root, booster, manifest("good", booster), 1, SIGNER);
        ModelUpdate wrongChecksum = new ModelUpdate("test", "good", good.uri(), "sha256:" + "0".repeat(64),
                FeatureSet.HASH, 1);
        reasons.add(assertThrows(ModelRejected.class, () -> ModelArtifacts.load(wrongChecksum, store, TRUST)).getMessage());

        List<String> otherNames = new ArrayList<>(FeatureSet.NAMES);
        otherNames.set(3, "something_else");
        ModelManifest m = manifest("features", booster);
        ModelManifest wrongFeatures = new ModelManifest(m.line(), m.version(), m.boosterFile(), m.checksum(), otherNames,
                m.featureSetHash(), 0.5, 0.9, m.trainedFrom(), m.trainedTo(), 7, m.rows(), m.metrics(),
                m.baselineMetrics(), m.createdAt());
        ModelUpdate features = ModelArtifacts.publish(store, root, booster, wrongFeatures, 1, SIGNER);
        reasons.add(assertThrows(ModelRejected.class, () -> ModelArtifacts.load(features, store, TRUST)).getMessage());

        ModelUpdate unpublished = new ModelUpdate("test", "ghost", ModelArtifacts.folder(root, "test", "ghost"),
                ModelArtifacts.sha256(booster), FeatureSet.HASH, 1);
        reasons.add(assertThrows(ModelRejected.class, () -> ModelArtifacts.load(unpublished, store, TRUST)).getMessage());

        assertTrue(reasons.get(0).contains("checksum"), reasons.get(0));
        assertTrue(reasons.get(1).contains("checksum"), reasons.get(1));
        assertTrue(reasons.get(2).contains("other features"), reasons.get(2));
        assertTrue(reasons.get(3).contains("not published"), reasons.get(3));
    }

    @Test
    void onlyAModelSignedByATrustedKeyServes(@TempDir Path dir) throws Exception {
        byte[] booster = booster();
        String root = FileLocations.of(dir);
        java.security.KeyPair stranger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        ModelUpdate forged = ModelArtifacts.publish(store, root, booster, manifest("forged", booster), 1,
                new ModelSigning.Signer(ModelSigning.DEV_KEY_ID, stranger.getPrivate()));
        String wrongKey = assertThrows(ModelRejected.class, () -> ModelArtifacts.load(forged, store, TRUST)).getMessage();
        assertTrue(wrongKey.contains("does not match"), wrongKey);

        ModelUpdate unknown = ModelArtifacts.publish(store, root, booster, manifest("unknown", booster), 1,
                new ModelSigning.Signer("someone", stranger.getPrivate()));
        String untrusted = assertThrows(ModelRejected.class, () -> ModelArtifacts.load(unknown, store, TRUST)).getMessage();
        assertTrue(untrusted.contains("does not trust"), untrusted);
        ModelSigning.Trust both = new ModelSigning.Trust(java.util.Map.of(ModelSigning.DEV_KEY_ID,
                java.util.Base64.getDecoder().decode("MCowBQYDK2VwAyEAIO62rQPoFWSEO7LhFEAdWkIPVh2Vhv9rpVQSkaIh4vg="),
                "someone", stranger.getPublic().getEncoded()));
        assertEquals("unknown", ModelArtifacts.load(unknown, store, both).version(), "a second trusted key (rotation)");

        // A signed model whose manifest is edited afterwards (thresholds loosened) is refused.
        ModelUpdate tampered = ModelArtifacts.publish(store, root, booster, manifest("tampered", booster), 1, SIGNER);
        Path manifestFile = FileLocations.path(tampered.uri() + "/" + ModelManifest.FILE);
        Files.writeString(manifestFile, Files.readString(manifestFile).replace("0.9", "0.99"));
        String edited = assertThrows(ModelRejected.class, () -> ModelArtifacts.load(tampered, store, TRUST)).getMessage();
        assertTrue(edited.contains("does not match"), edited);

        ModelUpdate unsigned = ModelArtifacts.publish(store, root, booster, manifest("unsigned", booster), 1, SIGNER);
        Files.delete(FileLocations.path(unsigned.uri() + "/" + ModelSigning.SIGNATURE_FILE));
        String none = assertThrows(ModelRejected.class, () -> ModelArtifacts.load(unsigned, store, TRUST)).getMessage();
        assertTrue(none.contains("not signed"), none);
    }

    @Test
    void theSigningKeysFailClosed() {
        assertThrows(IllegalStateException.class, () -> ModelSigning.signer(java.util.Map.of()));
        assertThrows(IllegalStateException.class, () -> ModelSigning.trust(java.util.Map.of()));
        assertEquals(ModelSigning.DEV_KEY_ID, ModelSigning.signer(java.util.Map.of("VIGIL_MODE", "development")).keyId());
        assertThrows(IllegalStateException.class, () -> ModelSigning.trust(java.util.Map.of("VIGIL_MODEL_TRUSTED_KEYS",
                "dev=MCowBQYDK2VwAyEAIO62rQPoFWSEO7LhFEAdWkIPVh2Vhv9rpVQSkaIh4vg=")), "the published key, outside development");
        assertThrows(IllegalStateException.class, () -> ModelSigning.trust(java.util.Map.of("VIGIL_MODEL_TRUSTED_KEYS",
                "k1=bm90IGEga2V5")), "a malformed key is refused at start");
    }
}
