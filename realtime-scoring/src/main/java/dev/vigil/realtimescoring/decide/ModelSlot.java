package dev.vigil.realtimescoring.decide;

import dev.vigil.core.model.BlobStore;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelRejected;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.ServingModel;

/**
 * The model one scoring subtask serves: loads and verifies each published champion (checksum,
 * feature list, the trainer's signature), keeps the old one serving when a new one is refused, and
 * reloads the champion after a restore, when the broadcast state holds its record but not the model.
 *
 * <p>Loading blocks the task thread, once per promotion (a few milliseconds from local disk, tens
 * from S3). Loading in the background would need the broadcast state, which only the task thread
 * may write, to learn the outcome later, and a checkpoint taken in between could then restore a
 * champion that was never verified. A decision that arrives during the load waits for it; one
 * promotion a day makes that the cheaper trade. Not thread-safe: one per subtask.
 */
final class ModelSlot {
    private final String line;
    private final ModelSigning.Trust trust;
    private final BlobStore store;
    private ServingModel serving;
    /** A restored champion that failed to load: not retried on every authorization (each try reads the store). */
    private String unloadableVersion;

    ModelSlot(String line, ModelSigning.Trust trust, BlobStore store) {
        this.line = line;
        this.trust = trust;
        this.store = store;
    }

    /** The model decisions use now, or null before any champion loaded. */
    ServingModel serving() {
        return serving;
    }

    /** Whether {@code update} is for the line this slot serves; updates of other lines are ignored. */
    boolean serves(ModelUpdate update) {
        return update.line().equals(line);
    }

    /**
     * Loads {@code update} and serves it from now on.
     *
     * @throws ModelRejected when it does not load or verify; what served before keeps serving
     */
    void offer(ModelUpdate update) throws ModelRejected {
        serving = ModelArtifacts.load(update, store, trust);
    }

    /**
     * After a restore, or when another subtask's record names a newer champion: loads {@code champion}
     * unless it already serves or already failed once.
     *
     * @return null, or why the restored champion could not be loaded (reported once per version)
     */
    String catchUp(ModelUpdate champion) {
        if (champion == null || (serving != null && serving.version().equals(champion.version()))
                || champion.version().equals(unloadableVersion)) {
            return null;
        }
        try {
            serving = ModelArtifacts.load(champion, store, trust);
            return null;
        } catch (ModelRejected e) {
            unloadableVersion = champion.version();
            return "the restored champion could not be loaded: " + e.getMessage();
        }
    }
}
