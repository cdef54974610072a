package dev.vigil.realtimescoring.model;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.LocalBlobStore;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.XgboostJson;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Models whose every node a test knows, published to a folder as batch-training would. */
public final class TestModels {
    public static final String LINE = "test";

    private TestModels() {
    }

    /** One tree: amounts of 500 or more score ~0.98 (DECLINE), 50..500 ~0.6 (REVIEW), less ~0.01. */
    public static byte[] amountModel() {
        return XgboostJson.amountModel();
    }

    public static ModelManifest manifest(String version, byte[] booster) {
        return new ModelManifest(LINE, version, ModelArtifacts.BOOSTER, ModelArtifacts.sha256(booster),
                FeatureSet.NAMES, FeatureSet.HASH, 0.5, 0.9, "2024-01-01", "2024-01-31", 7, Map.of("train", 1L),
                Map.of("average_precision", 0.5), Map.of(), "2024-02-08T00:00:00Z");
    }

    /** Publishes the amount model as {@code version} under {@code store}; returns its champion record. */
    public static ModelUpdate publish(Path store, String version) throws IOException {
        byte[] booster = amountModel();
        return ModelArtifacts.publish(new LocalBlobStore(), FileLocations.of(store), booster, manifest(version, booster),
                System.currentTimeMillis(), dev.vigil.core.model.ModelSigning.developmentSigner());
    }

    public static byte[] json(ModelUpdate update) {
        return ModelUpdateCodec.INSTANCE.encode(update);
    }
}
