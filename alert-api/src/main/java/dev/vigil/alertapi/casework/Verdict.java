package dev.vigil.alertapi.casework;

/** An analyst's finding on a case: it labels every authorization the case's alerts cover. */
public enum Verdict {
    CONFIRMED_FRAUD(true), FALSE_POSITIVE(false);

    private final boolean fraud;

    Verdict(boolean fraud) {
        this.fraud = fraud;
    }

    public boolean fraud() {
        return fraud;
    }
}
