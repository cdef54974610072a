package dev.vigil.core.event;

/**
 * Ground truth for one authorization, as the issuer learns it (chargeback, analyst verdict).
 *
 * @param labelId         derived from authorization id and source ({@link #idFor})
 * @param authorizationId the authorization labelled
 * @param cardToken       its card
 * @param merchantId      the labelled authorization's merchant (what the live merchant risk counts
 *                        by); null on labels written before it was carried
 * @param fraud           true for confirmed fraud, false for legitimate (false positive)
 * @param source          CHARGEBACK or ANALYST
 * @param labelTimeMs     when the label became known, epoch ms
 * @param eventTimeMs     the labelled authorization's event time
 * @param analyst         who gave an analyst verdict, else null
 */
public record Label(
        String labelId,
        String authorizationId,
        String cardToken,
        String merchantId,
        boolean fraud,
        LabelSource source,
        long labelTimeMs,
        long eventTimeMs,
        String analyst) {

    public static final int SCHEMA_VERSION = 1;

    public static String idFor(String authorizationId, LabelSource source) {
        return "lbl-" + Ids.digest(authorizationId + "|" + source.name());
    }

    public static Label of(String authorizationId, String cardToken, String merchantId, boolean fraud,
                           LabelSource source, long labelTimeMs, long eventTimeMs, String analyst) {
        return new Label(idFor(authorizationId, source), authorizationId, cardToken, merchantId, fraud, source,
                labelTimeMs, eventTimeMs, analyst);
    }
}
