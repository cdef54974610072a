package dev.vigil.core.event;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A card's nightly profile for logical date {@code asOf} (UTC), built by feature-lake from
 * everything known at that night. Amounts are in the card's billing currency, major units.
 *
 * @param cardToken          the card
 * @param asOf               the nightly's logical date
 * @param txnCount30d        authorizations in the 30 days up to asOf
 * @param amountMean30d      mean billing amount over 30 days
 * @param amountStd30d       standard deviation of the billing amount over 30 days
 * @param txnCount90d        authorizations in the 90 days up to asOf
 * @param amountMean90d      mean billing amount over 90 days
 * @param amountStd90d       standard deviation over 90 days
 * @param hourShare90d       24 shares (sum 1, or all 0): how the card's authorizations spread over
 *                           the local hour of day
 * @param mccAmountMean90d   mean amount per MCC for the card's top MCCs (at most 8)
 * @param topCountries       most used merchant countries, most used first (at most 8)
 * @param topMerchants       most used merchants (at most 16)
 * @param homeLat            estimated home latitude (card-present median), NaN when unknown
 * @param homeLon            estimated home longitude, NaN when unknown
 * @param chargebacks365d    chargebacks known at asOf on the card's authorizations of the last year
 * @param lastChargebackDate date the last known chargeback arrived, or null
 */
public record CardProfile(
        String cardToken,
        LocalDate asOf,
        int txnCount30d,
        double amountMean30d,
        double amountStd30d,
        int txnCount90d,
        double amountMean90d,
        double amountStd90d,
        float[] hourShare90d,
        Map<String, Double> mccAmountMean90d,
        List<String> topCountries,
        List<String> topMerchants,
        double homeLat,
        double homeLon,
        int chargebacks365d,
        LocalDate lastChargebackDate) implements Profile {

    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_MCCS = 8;
    public static final int MAX_COUNTRIES = 8;
    public static final int MAX_MERCHANTS = 16;

    public CardProfile {
        if (hourShare90d.length != 24) {
            throw new IllegalArgumentException("hourShare90d needs 24 entries, got " + hourShare90d.length);
        }
        hourShare90d = hourShare90d.clone();
        mccAmountMean90d = Map.copyOf(mccAmountMean90d);
        topCountries = List.copyOf(topCountries);
        topMerchants = List.copyOf(topMerchants);
    }

    /** The same profile under another token of the card (a tokenization key rotation). */
    public CardProfile withCardToken(String token) {
        return new CardProfile(token, asOf, txnCount30d, amountMean30d, amountStd30d, txnCount90d, amountMean90d,
                amountStd90d, hourShare90d, mccAmountMean90d, topCountries, topMerchants, homeLat, homeLon,
                chargebacks365d, lastChargebackDate);
    }

    @Override
    public String key() {
        return cardToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardProfile p && cardToken.equals(p.cardToken) && asOf.equals(p.asOf)
                && txnCount30d == p.txnCount30d && Double.compare(amountMean30d, p.amountMean30d) == 0
                && Double.compare(amountStd30d, p.amountStd30d) == 0 && txnCount90d == p.txnCount90d
                && Double.compare(amountMean90d, p.amountMean90d) == 0
                && Double.compare(amountStd90d, p.amountStd90d) == 0
                && java.util.Arrays.equals(hourShare90d, p.hourShare90d)
                && mccAmountMean90d.equals(p.mccAmountMean90d) && topCountries.equals(p.topCountries)
                && topMerchants.equals(p.topMerchants) && Double.compare(homeLat, p.homeLat) == 0
                && Double.compare(homeLon, p.homeLon) == 0 && chargebacks365d == p.chargebacks365d
                && java.util.Objects.equals(lastChargebackDate, p.lastChargebackDate);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(cardToken, asOf, txnCount90d, amountMean90d);
    }
}
