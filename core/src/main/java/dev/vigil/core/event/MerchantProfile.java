package dev.vigil.core.event;

import java.time.LocalDate;

/**
 * A merchant's nightly profile for logical date {@code asOf}. Fraud figures use only labels
 * known at asOf, over authorizations old enough that their labels have had time to arrive.
 *
 * @param merchantId       the merchant
 * @param asOf             the nightly's logical date
 * @param txnCount90d      authorizations in the 90 days up to asOf
 * @param cardCount90d     distinct cards in the 90 days up to asOf
 * @param amountMean90d    mean billing amount (major units)
 * @param fraudRate90d     known-fraud share of its mature authorizations, 0..1
 * @param compromiseScore  share of its distinct cards later defrauded elsewhere, 0..1
 * @param chargebacks90d   chargebacks known at asOf on its authorizations
 */
public record MerchantProfile(
        String merchantId,
        LocalDate asOf,
        int txnCount90d,
        int cardCount90d,
        double amountMean90d,
        double fraudRate90d,
        double compromiseScore,
        int chargebacks90d) implements Profile {

    public static final int SCHEMA_VERSION = 1;

    @Override
    public String key() {
        return merchantId;
    }
}
