package dev.vigil.core.event;

/** Where a label came from. A chargeback overrides an analyst's verdict on the same authorization. */
public enum LabelSource {
    CHARGEBACK(2), ANALYST(1);

    private final int precedence;

    LabelSource(int precedence) {
        this.precedence = precedence;
    }

    /** Higher wins when two labels cover one authorization. */
    public int precedence() {
        return precedence;
    }
}
