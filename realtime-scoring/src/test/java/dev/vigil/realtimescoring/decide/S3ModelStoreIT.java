package dev.vigil.realtimescoring.decide;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.model.ModelRejected;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.ServingModel;
import dev.vigil.core.model.TreeModel;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The scoring job reads models through Flink's own file systems ({@link FlinkBlobStore}). Against the
 * real S3-compatible store ./vigil test starts: a model published to {@code s3://} loads and scores
 * like the file it came from, and a tampered booster is refused.
 */
class S3ModelStoreIT {
    private static String bucketUri;

    @BeforeAll
    static void s3() {
        String endpoint = System.getenv("VIGIL_S3_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("no S3 store configured: run the tests with ./vigil test, or ./vigil s3 start"
                    + " and export VIGIL_S3_ENDPOINT, VIGIL_S3_ACCESS_KEY, VIGIL_S3_SECRET_KEY");
        }
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", endpoint);
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", System.getenv("VIGIL_S3_ACCESS_KEY"));
        conf.setString("s3.secret-key", System.getenv("VIGIL_S3_SECRET_KEY"));
        FileSystem.initialize(conf, null);
        bucketUri = "s3://" + System.getenv().getOrDefault("VIGIL_S3_BUCKET", "vigil") + "/scoring-it-" + UUID.randomUUID();
    }

    @AfterAll
    static void reset() {
        FileSystem.initialize(new Configuration(), null);
    }

    private static ModelManifest manifest(String version, byte[] booster) {
        return new ModelManifest("s3-line", version, ModelArtifacts.BOOSTER, ModelArtifacts.sha256(booster),
                FeatureSet.NAMES, FeatureSet.HASH, 0.5, 0.9, "2024-01-01", "2024-01-14", 7, Map.of("train", 1L),
                Map.of("average_precision", 0.5), Map.of(), Instant.now().toString());
    }

    @Test
    void aModelPublishedToS3LoadsThroughFlinksFileSystem() throws Exception {
        byte[] booster = Files.readAllBytes(Path.of(System.getProperty("vigil.golden.dir"), "model.json"));
        FlinkBlobStore store = new FlinkBlobStore();

        ModelUpdate update = ModelArtifacts.publish(store, bucketUri, booster, manifest("v1", booster), 1L, dev.vigil.core.model.ModelSigning.developmentSigner());
        ServingModel served = ModelArtifacts.load(update, store, dev.vigil.core.model.ModelSigning.developmentTrust());

        assertEquals(bucketUri + "/models/s3-line/v1", update.uri());
        assertArrayEquals(booster, store.read(update.uri() + "/" + ModelArtifacts.BOOSTER));
        float[] v = FeatureSet.newVector();
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 3 == 0 ? Float.NaN : i * 0.37f;
        }
        assertEquals(TreeModel.parseXgboostJson(booster).predict(v), served.trees().predict(v));

        // A booster changed after publishing no longer matches its checksum: refused.
        ModelUpdate second = ModelArtifacts.publish(store, bucketUri, booster, manifest("v2", booster), 2L, dev.vigil.core.model.ModelSigning.developmentSigner());
        store.write(second.uri() + "/" + ModelArtifacts.BOOSTER,
                (new String(booster, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8));
        assertThrows(ModelRejected.class, () -> ModelArtifacts.load(second, store, dev.vigil.core.model.ModelSigning.developmentTrust()));
    }
}
