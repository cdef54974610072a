package dev.vigil.core.event;

/** A compact view of one of the card's recent authorizations, as kept in its state for alerts. */
public record RecentAuthorization(
        String authorizationId,
        long eventTimeMs,
        long billingAmountMinor,
        String billingCurrency,
        String merchantId,
        String mcc,
        String merchantCountry,
        Channel channel,
        String hostDecline) {

    public static RecentAuthorization of(Authorization a) {
        return new RecentAuthorization(a.authorizationId(), a.eventTimeMs(), a.billingAmountMinor(),
                a.billingCurrency(), a.merchantId(), a.mcc(), a.merchantCountry(), a.channel(),
                a.hostDecline());
    }
}
