package dev.vigil.core.event;

/**
 * A detection's verdict on a card, on the {@code card-watches} topic (key = card token): until
 * {@code untilMs} (event time) the card's decisions are at least REVIEW with reason
 * {@code WATCH:<pattern>}. The detections job writes it; the scoring job folds it into the card's
 * state. Never a model input.
 *
 * @param cardToken       the card's token under the key its scoring state is keyed by
 * @param pattern         the pattern that matched, e.g. {@code CARD_TESTING}
 * @param untilMs         event time the watch lasts until
 * @param authorizationId the authorization that completed the match (for tracing, not for scoring)
 * @param cardSeq         that authorization's card sequence number: the watch applies only to the
 *                        card's authorizations after it, however late the scoring job reads them
 */
public record CardWatch(String cardToken, String pattern, long untilMs, String authorizationId, long cardSeq) {
    public static final int SCHEMA_VERSION = 1;
}
