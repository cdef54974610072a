package dev.vigil.featurelake.quality;

/** One data-quality check's outcome, in words a person on call can act on. */
public record Check(String name, boolean passed, String detail) {

    static Check pass(String name, String detail) {
        return new Check(name, true, detail);
    }

    static Check fail(String name, String detail) {
        return new Check(name, false, detail);
    }
}
