package dev.vigil.core.model;

/** A model that must not serve: the reason says which check failed. The old model keeps serving. */
public final class ModelRejected extends Exception {
    public ModelRejected(String reason) {
        super(reason);
    }

    public ModelRejected(String reason, Throwable cause) {
        super(reason, cause);
    }
}
