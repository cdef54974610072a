package dev.vigil.core.model;

import dev.vigil.core.event.ModelUpdate;

/** A verified model, ready to score: the champion record, its manifest and its trees. */
public record ServingModel(ModelUpdate update, ModelManifest manifest, TreeModel trees) {
    public String version() {
        return update.version();
    }
}
