package dev.vigil.realtimescoring.decide;

/**
 * A policy override on a card after a detection: until {@code untilMs} (event time), its
 * decisions are at least REVIEW with reason {@code WATCH:<pattern>}. Never a model input.
 */
public class Watch {
    public String cardToken;
    public String pattern;
    public long untilMs;

    public Watch() {
    }

    public Watch(String cardToken, String pattern, long untilMs) {
        this.cardToken = cardToken;
        this.pattern = pattern;
        this.untilMs = untilMs;
    }
}
