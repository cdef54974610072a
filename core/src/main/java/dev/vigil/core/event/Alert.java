package dev.vigil.core.event;

import java.util.List;

/**
 * Something an analyst should look at: a REVIEW/DECLINE decision or a detection pattern match.
 *
 * @param alertId        stable id: one per (authorization, kind), however often it is redelivered
 * @param kind           {@code MODEL_REVIEW}, {@code MODEL_DECLINE} or a pattern name such as
 *                       {@code CARD_TESTING}
 * @param cardToken      the card
 * @param createdAtMs    wall-clock time the alert was raised
 * @param authorization  the authorization that raised it (for a pattern, the one completing it)
 * @param decision       the decision of that authorization, when the raiser knew it, else null
 * @param relatedAuthorizationIds every authorization the match involved (the trigger included)
 * @param recent         the card's last few authorizations from its state, newest first
 */
public record Alert(
        String alertId,
        String kind,
        String cardToken,
        long createdAtMs,
        Authorization authorization,
        Decision decision,
        List<String> relatedAuthorizationIds,
        List<RecentAuthorization> recent) {

    public static final int SCHEMA_VERSION = 1;

    public Alert {
        relatedAuthorizationIds = List.copyOf(relatedAuthorizationIds);
        recent = List.copyOf(recent);
    }

    /** The stable alert id for an authorization and alert kind. */
    public static String idFor(String authorizationId, String kind) {
        return "alt-" + Ids.digest(authorizationId + "|" + kind);
    }
}
