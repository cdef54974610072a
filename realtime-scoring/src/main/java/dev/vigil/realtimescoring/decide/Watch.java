package dev.vigil.realtimescoring.decide;

/**
 * A policy override on a card after a detection: its authorizations after card sequence number
 * {@code afterSeq} (the match's last) and until {@code untilMs} (event time) are at least REVIEW
 * with reason {@code WATCH:<pattern>}. Never a model input.
 */
public class Watch {
    public String cardToken;
    public String pattern;
    public long untilMs;
    public long afterSeq;

    public Watch() {
    }

    public Watch(String cardToken, String pattern, long untilMs, long afterSeq) {
        this.cardToken = cardToken;
        this.pattern = pattern;
        this.untilMs = untilMs;
        this.afterSeq = afterSeq;
    }
}
