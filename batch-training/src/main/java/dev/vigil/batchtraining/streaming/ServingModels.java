package dev.vigil.batchtraining.streaming;

import dev.vigil.batchtraining.release.HadoopBlobStore;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.model.ServingModel;

import java.nio.charset.StandardCharsets;

/** The champion, loaded and verified once per JVM (driver or executor), and a scorer per thread. */
final class ServingModels {
    /** The champion's record and its model, published together so no reader pairs one with another's. */
    private record Loaded(String championJson, ServingModel model) {
    }

    private static volatile Loaded loaded;
    private static final ThreadLocal<ModelScorer> SCORERS = ThreadLocal.withInitial(ModelScorer::new);

    static ServingModel get(String championJson) {
        Loaded current = loaded;
        if (current == null || !current.championJson().equals(championJson)) {
            synchronized (ServingModels.class) {
                current = loaded;
                if (current == null || !current.championJson().equals(championJson)) {
                    ModelUpdate u = ModelUpdateCodec.INSTANCE.decode(championJson.getBytes(StandardCharsets.UTF_8)).value();
                    try {
                        current = new Loaded(championJson, ModelArtifacts.load(u,
                                new HadoopBlobStore(new org.apache.hadoop.conf.Configuration()), ModelSigning.trustFromEnvironment()));
                    } catch (Exception e) {
                        throw new IllegalStateException("champion " + u.version() + " refused: " + e.getMessage(), e);
                    }
                    loaded = current;
                }
            }
        }
        return current.model();
    }

    static ModelScorer scorer() {
        return SCORERS.get();
    }

    private ServingModels() {
    }
}
