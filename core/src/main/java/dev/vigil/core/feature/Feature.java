package dev.vigil.core.feature;

/**
 * The model's inputs, in vector order. One line each says what the value is; {@link CardFold}
 * computes all of them, from the card's state <em>before</em> the authorization is folded in plus
 * the authorization itself, the nightly profiles and the merchant's live risk ({@link MerchantRisk}). Missing values are NaN (XGBoost's missing).
 * Amounts are in the card's billing currency, major units. Changing any definition means bumping
 * {@link FeatureSet#VERSION}.
 */
public enum Feature {
    AMOUNT_LOG("log(1 + billing amount)"),
    AMOUNT_TO_MEAN("amount / the card's decayed mean amount (half-life 30 d); NaN without history"),
    AMOUNT_ZSCORE("(amount - decayed mean) / decayed standard deviation (floored at 1); NaN below 2 authorizations"),
    COUNT_1M("authorizations in the previous ~1 minute (10 s buckets)"),
    COUNT_10M("authorizations in the previous ~10 minutes (1 min buckets)"),
    COUNT_1H("authorizations in the previous ~1 hour (5 min buckets)"),
    COUNT_24H("authorizations in the previous ~24 hours (1 h buckets)"),
    SUM_1H("billing amount spent in the previous ~1 hour"),
    SUM_24H("billing amount spent in the previous ~24 hours"),
    SECONDS_SINCE_LAST("seconds since the card's latest authorization; NaN for the first"),
    DISTINCT_MERCHANTS_24H("distinct merchants used in the last 24 hours"),
    DISTINCT_COUNTRIES_24H("distinct merchant countries in the last 24 hours"),
    DISTINCT_MCCS_24H("distinct MCCs in the last 24 hours"),
    NEW_MERCHANT("1 when the merchant was not used in the last 90 days (of remembered merchants)"),
    NEW_COUNTRY("1 when the merchant country was not used in the last 90 days; NaN when unknown"),
    NEW_MCC("1 when the MCC was not used in the last 90 days; NaN when unknown"),
    SMALL_AMOUNTS_10M("authorizations under 5.00 (probing) in the previous ~10 minutes"),
    SMALL_AMOUNTS_24H("authorizations under 5.00 in the previous ~24 hours"),
    KM_FROM_LAST_PRESENT("km from the last card-present location, for a card-present authorization with a location"),
    KMH_FROM_LAST_PRESENT("implied speed in km/h from the last card-present location (gap floored at 1 minute)"),
    HOUR_OF_DAY("hour of day, local to the merchant when the offset is known, else UTC"),
    HOUR_SHARE("share of the card's history at this hour; NaN below 5 authorizations"),
    DECLINES_1H("host-declined authorizations in the previous ~1 hour"),
    DECLINES_24H("host-declined authorizations in the previous ~24 hours"),
    CARD_PRESENT("1 for card present, 0 otherwise"),
    ECOMMERCE("1 for e-commerce, 0 otherwise"),
    ENTRY_MODE("entry mode code (chip 0, contactless 1, magstripe 2, manual 3, e-commerce 4); NaN unknown"),
    HOST_DECLINED("1 when the issuer host's own checks declined this authorization"),
    MCC_CODE("the MCC as a number; NaN when unknown"),
    CARD_AGE_DAYS("days since the card's first remembered authorization"),
    AUTH_COUNT("authorizations folded into the card's state so far"),
    PROFILE_AMOUNT_TO_MEAN_90D("amount / profile mean amount over 90 days"),
    PROFILE_AMOUNT_Z_90D("(amount - profile mean 90 d) / profile std 90 d (floored at 1)"),
    PROFILE_RATE_RATIO_24H("count in 24 h / profile's average daily count over 30 days (floored at 1/30)"),
    PROFILE_HOUR_SHARE("profile's share of the card's authorizations at this hour"),
    PROFILE_MCC_AMOUNT_RATIO("amount / profile mean amount at this MCC; NaN when the MCC is not in the profile"),
    PROFILE_KNOWN_MERCHANT("1 when the merchant is among the profile's top merchants"),
    PROFILE_KNOWN_COUNTRY("1 when the merchant country is among the profile's top countries; NaN when unknown"),
    PROFILE_KM_FROM_HOME("km from the profile's home estimate, for card-present with a location"),
    PROFILE_CHARGEBACKS("chargebacks known on the card over 365 days"),
    PROFILE_AGE_DAYS("days between the profile's as_of and the event date"),
    MERCHANT_FRAUD_RATE("merchant's known fraud rate over 90 days"),
    MERCHANT_COMPROMISE("share of the merchant's cards later defrauded elsewhere"),
    MERCHANT_AMOUNT_RATIO("amount / merchant's mean amount"),
    MERCHANT_LOG_VOLUME("log(1 + merchant's authorizations over 90 days)"),
    MERCHANT_FRAUDS_1D("merchant's authorizations of the last day known (by label time) to be fraud"),
    MERCHANT_FRAUDS_7D("merchant's known frauds of the last 7 days"),
    MERCHANT_FRAUDS_30D("merchant's known frauds of the last 30 days"),
    MERCHANT_FRAUD_CARDS_1D("distinct cards among the merchant's known frauds of the last day"),
    MERCHANT_FRAUD_CARDS_7D("distinct cards among the merchant's known frauds of the last 7 days"),
    MERCHANT_FRAUD_CARDS_30D("distinct cards among the merchant's known frauds of the last 30 days"),
    MERCHANT_DAYS_SINCE_FRAUD("days since the merchant's latest known fraud (up to 60 days back); NaN when none");

    private final String description;

    Feature(String description) {
        this.description = description;
    }

    /** The feature's name in manifests and tables: lower snake case of the constant. */
    public String featureName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public String description() {
        return description;
    }
}
