package dev.vigil.realtimescoring.decide;

import dev.vigil.core.feature.CardState;

/**
 * Everything the scoring operator keeps for one card, in one {@code ValueState} so that an
 * authorization costs one state read and one write: the fold's {@link CardState}, the nightly
 * profile versions (JSON, oldest first), the watch, and the expiry timer that is registered.
 */
public final class CardRecord {
    public CardState card = new CardState();
    /** Profile versions as JSON, oldest first (decoded only when chosen). */
    public byte[][] profiles = new byte[0][];
    /** Each version's {@code as_of} as an epoch day, beside {@link #profiles}, so choosing decodes nothing. */
    public long[] profileAsOfDays = new long[0];
    /** Pattern of the watch, or null. */
    public String watchPattern;
    public long watchUntilMs;
    /**
     * The watch covers the card's authorizations after this card sequence number: a detection's
     * watch arrives through a topic and may overtake the authorizations it was matched on (a
     * backlog, a restore); {@code Long.MIN_VALUE} for a rule's watch, raised in order.
     */
    public long watchAfterSeq = Long.MIN_VALUE;
    /** Event time of the registered expiry timer, or Long.MIN_VALUE. */
    public long expiryTimerMs = Long.MIN_VALUE;

    /** Whether the watch (if any) covers the authorization with card sequence number {@code cardSeq}. */
    public boolean watchCovers(long cardSeq) {
        return watchPattern != null && cardSeq > watchAfterSeq;
    }
}
