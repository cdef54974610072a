package dev.vigil.core.event;

/**
 * One card authorization as it leaves the ingress edge: the PAN is already replaced by a keyed
 * token (with the key's id), and only the BIN and the last four digits are kept.
 *
 * <p>Unknown optional values use sentinels rather than boxes, because this record is on the
 * per-event hot path: {@code null} for strings, {@link Double#NaN} for coordinates,
 * {@link #NO_UTC_OFFSET} for the offset and {@code 0} for an unknown PAN length.
 *
 * @param authorizationId   unique id of the authorization, assigned upstream
 * @param cardToken         HMAC token of the PAN (or of an opaque card id)
 * @param tokenKeyId        id of the key that produced {@code cardToken}, so keys can rotate
 * @param bin               first six digits, or null (opaque card ids, PANs shorter than 15 digits)
 * @param last4             last four digits, or null for opaque card ids
 * @param panLength         number of PAN digits, 0 when the card id is opaque
 * @param amountMinor       transaction amount in minor units of {@code currency} (ISO 4217)
 * @param currency          transaction currency, ISO 4217 alphabetic
 * @param billingAmountMinor amount in the card's billing currency, minor units
 * @param billingCurrency   the card's billing currency
 * @param merchantId        merchant (or terminal) id
 * @param mcc               merchant category code, 4 digits, or null
 * @param merchantCountry   ISO 3166 alpha-2, or null
 * @param merchantLat       merchant latitude in degrees, NaN when unknown
 * @param merchantLon       merchant longitude in degrees, NaN when unknown
 * @param utcOffsetMinutes  merchant's local UTC offset, or {@link #NO_UTC_OFFSET}
 * @param channel           card present, e-commerce, ...
 * @param entryMode         chip, contactless, ...
 * @param hostDecline       reason code when the issuer host's own checks (funds, CVV, PIN, expiry)
 *                          declined it, else null
 * @param eventTimeMs       when the authorization happened, epoch milliseconds UTC
 * @param cardSeq           the issuer's per-card sequence number (arrival order at the issuer)
 * @param nextCardToken     while a new tokenization key is announced, the same card's token under
 *                          it, else null: the lake learns each card's next token from these
 * @param nextTokenKeyId    the announced key's id, or null
 */
public record Authorization(
        String authorizationId,
        String cardToken,
        String tokenKeyId,
        String bin,
        String last4,
        int panLength,
        long amountMinor,
        String currency,
        long billingAmountMinor,
        String billingCurrency,
        String merchantId,
        String mcc,
        String merchantCountry,
        double merchantLat,
        double merchantLon,
        int utcOffsetMinutes,
        Channel channel,
        EntryMode entryMode,
        String hostDecline,
        long eventTimeMs,
        long cardSeq,
        String nextCardToken,
        String nextTokenKeyId) {

    public static final int SCHEMA_VERSION = 1;
    public static final int NO_UTC_OFFSET = Integer.MIN_VALUE;

    public boolean hasLocation() {
        return !Double.isNaN(merchantLat) && !Double.isNaN(merchantLon);
    }

    public boolean hasUtcOffset() {
        return utcOffsetMinutes != NO_UTC_OFFSET;
    }

    public boolean declinedByHost() {
        return hostDecline != null;
    }

    /** A copy with another per-card sequence number (the ingress assigns it in arrival order). */
    public Authorization withCardSeq(long seq) {
        return new Authorization(authorizationId, cardToken, tokenKeyId, bin, last4, panLength,
                amountMinor, currency, billingAmountMinor, billingCurrency, merchantId, mcc,
                merchantCountry, merchantLat, merchantLon, utcOffsetMinutes, channel, entryMode,
                hostDecline, eventTimeMs, seq, nextCardToken, nextTokenKeyId);
    }

    /**
     * The card's token under key {@code keyId}: the token of record, or the announced next token when
     * {@code keyId} names the next key. A job keyed by the next key (set up before the edge switches
     * to it) finds each card's re-keyed state this way; {@code null}, or a key this record has no
     * token under, gives the token of record.
     */
    public String tokenUnder(String keyId) {
        return keyId != null && keyId.equals(nextTokenKeyId) ? nextCardToken : cardToken;
    }
}
