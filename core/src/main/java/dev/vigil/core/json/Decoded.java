package dev.vigil.core.json;

import java.util.Objects;

/** The outcome of decoding one record: the value, or the reason it was rejected. Never both. */
public final class Decoded<T> {
    private final T value;
    private final String reason;

    private Decoded(T value, String reason) {
        this.value = value;
        this.reason = reason;
    }

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(Objects.requireNonNull(value), null);
    }

    public static <T> Decoded<T> rejected(String reason) {
        return new Decoded<>(null, Objects.requireNonNull(reason));
    }

    public boolean isOk() {
        return value != null;
    }

    /** The decoded value; call only when {@link #isOk()}. */
    public T value() {
        if (value == null) {
            throw new IllegalStateException("rejected: " + reason);
        }
        return value;
    }

    /** Why the record was rejected, or null when it was accepted. The text never echoes card digits. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isOk() ? "Decoded.ok(" + value + ")" : "Decoded.rejected(" + reason + ")";
    }
}
