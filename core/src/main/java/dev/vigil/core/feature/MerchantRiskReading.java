package dev.vigil.core.feature;

/**
 * The merchant-risk features of one authorization, as {@link MerchantRisk#read} computed them at its
 * event time. Training carries these from its per-merchant replay into the card fold.
 *
 * @param labelsKnownAtMs the newest label time the reading could see (0 when none): which state of
 *                        the merchant's risk a decision used
 */
public record MerchantRiskReading(int frauds1d, int frauds7d, int frauds30d, int fraudCards1d, int fraudCards7d,
                                  int fraudCards30d, double daysSinceFraud, long labelsKnownAtMs) {

    /** A merchant with no known labels: no frauds, and no last fraud to count days from. */
    public static final MerchantRiskReading NONE = new MerchantRiskReading(0, 0, 0, 0, 0, 0, Double.NaN, 0);
}
