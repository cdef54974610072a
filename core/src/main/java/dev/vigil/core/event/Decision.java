package dev.vigil.core.event;

import java.util.List;

/**
 * The answer for one authorization. Decisions are at-least-once: a redelivered decision is a
 * duplicate when authorization id, score, action, reasons and model version all match
 * ({@link #sameOutcome}); consumers keep the first.
 *
 * @param authorizationId the authorization decided
 * @param cardToken       the card's token (the topic key)
 * @param score           model probability of fraud, NaN when no model scored it
 * @param action          APPROVE, REVIEW or DECLINE
 * @param reasons         reason codes, most important first (features that pushed the score,
 *                        {@code NO_MODEL}, {@code WATCH:<pattern>}, ...)
 * @param modelVersion    the model that scored it, or null
 * @param profileAsOf     the card profile's {@code as_of} date used (ISO date), or null
 * @param cardAuthCount   authorizations folded into the card's state after this one
 * @param cardLastSeq     the card's last folded sequence number after this one
 * @param eventTimeMs     the authorization's event time
 * @param decidedAtMs     wall-clock time the decision was emitted, epoch ms
 * @param processingMicros time from the record reaching the scorer to the decision, microseconds
 * @param merchantRiskAsOfMs the newest label time the merchant-risk features could see: which state
 *                        of the merchant's live risk the decision used; 0 when the merchant had none
 */
public record Decision(
        String authorizationId,
        String cardToken,
        float score,
        Action action,
        List<String> reasons,
        String modelVersion,
        String profileAsOf,
        long cardAuthCount,
        long cardLastSeq,
        long eventTimeMs,
        long decidedAtMs,
        long processingMicros,
        long merchantRiskAsOfMs) {

    public static final int SCHEMA_VERSION = 1;

    public Decision {
        reasons = List.copyOf(reasons);
    }

    /** A decision that used no merchant-risk state (no labels for its merchant, or an engine without them). */
    public Decision(String authorizationId, String cardToken, float score, Action action, List<String> reasons,
                    String modelVersion, String profileAsOf, long cardAuthCount, long cardLastSeq, long eventTimeMs,
                    long decidedAtMs, long processingMicros) {
        this(authorizationId, cardToken, score, action, reasons, modelVersion, profileAsOf, cardAuthCount,
                cardLastSeq, eventTimeMs, decidedAtMs, processingMicros, 0);
    }

    /** True when {@code other} is a redelivery of this decision rather than a different outcome. */
    public boolean sameOutcome(Decision other) {
        return authorizationId.equals(other.authorizationId)
                && Float.compare(score, other.score) == 0
                && action == other.action
                && reasons.equals(other.reasons)
                && java.util.Objects.equals(modelVersion, other.modelVersion);
    }
}
