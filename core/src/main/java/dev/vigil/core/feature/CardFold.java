package dev.vigil.core.feature;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.event.RecentAuthorization;

/**
 * The one definition of Vigil's features. Flink calls {@link #step} per authorization on the
 * card's keyed state; Spark replays each card's history through the same call, in the same
 * (arrival) order, so training sees exactly the vectors serving computes.
 *
 * <p>Rules, all decided here so both engines agree:
 * <ul>
 *   <li>Features describe the authorization against the card's history <em>before</em> it.</li>
 *   <li>An authorization id the card has folded recently (last 32) is not folded twice ({@link #folded});
 *       the job does not decide it again either.</li>
 *   <li>The card's clock is the largest event time folded; windows are measured back from
 *       {@code max(event time, clock)}, so an out-of-order event neither rewinds the clock nor
 *       sees an empty history. A late event lands in its own (older) bucket if that is still kept.</li>
 *   <li>After {@link #EXPIRY_MS} of event-time inactivity the state is forgotten, here, before
 *       anything else; Flink's state TTL is only a longer safety net.</li>
 *   <li>Arithmetic is deterministic: {@link StrictMath} for every transcendental function, values
 *       computed in double and narrowed to float32 once, as XGBoost compares them.</li>
 * </ul>
 * The state is updated in place (no allocation per event on the hot path); the result depends only
 * on (state, authorization, profiles).
 */
public final class CardFold {
    /** Longest explicit memory is 90 days (new-merchant/country/MCC); expiry is longer. */
    public static final long EXPIRY_MS = 120L * 86_400_000L;
    static final long MEMORY_MS = 90L * 86_400_000L;
    public static final long DAY_MS = 86_400_000L;
    static final double AMOUNT_HALF_LIFE_MS = 30.0 * DAY_MS;
    static final double SMALL_AMOUNT = 5.0;
    private static final double EARTH_RADIUS_KM = 6371.0088;
    private static final Feature[] CARD_PROFILE_FEATURES = {Feature.PROFILE_AMOUNT_TO_MEAN_90D,
            Feature.PROFILE_AMOUNT_Z_90D, Feature.PROFILE_RATE_RATIO_24H, Feature.PROFILE_HOUR_SHARE,
            Feature.PROFILE_MCC_AMOUNT_RATIO, Feature.PROFILE_KNOWN_MERCHANT, Feature.PROFILE_KNOWN_COUNTRY,
            Feature.PROFILE_KM_FROM_HOME, Feature.PROFILE_CHARGEBACKS, Feature.PROFILE_AGE_DAYS};

    private CardFold() {
    }

    /**
     * Writes the features of {@code a} into {@code out} and folds {@code a} into {@code s}.
     *
     * @return false when {@code a} was a duplicate and so was not folded
     */
    public static boolean step(CardState s, Authorization a, CardProfile card, MerchantProfile merchant,
                               MerchantRiskReading merchantRisk, float[] out) {
        expireIfIdle(s, a.eventTimeMs());
        features(s, a, card, merchant, merchantRisk, out);
        return apply(s, a);
    }

    /** {@link #step} for a merchant with no known labels. */
    public static boolean step(CardState s, Authorization a, CardProfile card, MerchantProfile merchant,
                               float[] out) {
        return step(s, a, card, merchant, MerchantRiskReading.NONE, out);
    }

    /**
     * Whether {@code s} has folded {@code a} already: its id is among the last {@value CardState#SEEN_IDS}
     * the card folded, and the card has not been idle long enough to be forgotten by {@code a}'s time
     * (so serving and the replay agree on an id that comes back after expiry).
     */
    public static boolean folded(CardState s, Authorization a) {
        return !(s.authCount > 0 && a.eventTimeMs() - s.lastEventMs > EXPIRY_MS) && seen(s, idHash(a.authorizationId()));
    }

    private static boolean seen(CardState s, long idHash) {
        for (long seen : s.seenIds) {
            if (seen == idHash) {
                return true;
            }
        }
        return false;
    }

    /** Folds {@code a} into {@code s}; false (and no change) for a duplicate authorization id. */
    public static boolean apply(CardState s, Authorization a) {
        long t = a.eventTimeMs();
        expireIfIdle(s, t);
        long idHash = idHash(a.authorizationId());
        if (seen(s, idHash)) {
            return false;
        }
        s.seenIds[s.seenNext] = idHash;
        s.seenNext = (s.seenNext + 1) % CardState.SEEN_IDS;

        if (s.authCount == 0) {
            s.firstEventMs = t;
            s.lastEventMs = t;
        }
        s.firstEventMs = Math.min(s.firstEventMs, t);
        s.lastEventMs = Math.max(s.lastEventMs, t);
        s.authCount++;
        s.lastSeq = a.cardSeq();

        double amount = amountMajor(a);
        boolean small = amount < SMALL_AMOUNT;
        boolean declined = a.declinedByHost();
        for (int h = 0; h < CardState.BUCKETS.length; h++) {
            addToBucket(s, h, t, amount, small, declined);
        }

        foldAmount(s, t, amount);

        int[] hours = s.hourCounts;
        hours[hourOfDay(a)]++;
        if (hours[hourOfDay(a)] >= 1000) {
            for (int h = 0; h < 24; h++) {
                hours[h] >>= 1; // keep the shape, bound the counts
            }
        }

        int minute = (int) (t / 60_000L);
        remember(s.merchantHash, s.merchantSeenMin, merchantKey(a.merchantId()), minute);
        if (a.merchantCountry() != null) {
            remember(s.countryCode, s.countrySeenMin, countryKey(a.merchantCountry()), minute);
        }
        if (a.mcc() != null) {
            remember(s.mccCode, s.mccSeenMin, mccKey(a.mcc()), minute);
        }

        if (a.channel().cardPresent() && a.hasLocation() && t >= s.lastPresentMs) {
            s.lastPresentLat = (float) a.merchantLat();
            s.lastPresentLon = (float) a.merchantLon();
            s.lastPresentMs = t;
        }

        s.recent[s.recentNext] = RecentAuthorization.of(a);
        s.recentNext = (s.recentNext + 1) % CardState.RECENT;
        return true;
    }

    /** Computes the feature vector of {@code a} against the card's history in {@code s}. */
    public static void features(CardState s, Authorization a, CardProfile card, MerchantProfile merchant,
                                MerchantRiskReading merchantRisk, float[] out) {
        if (out.length != FeatureSet.SIZE) {
            throw new IllegalArgumentException("feature vector needs " + FeatureSet.SIZE + " slots");
        }
        long t = a.eventTimeMs();
        boolean expired = s.authCount > 0 && t - s.lastEventMs > EXPIRY_MS;
        boolean history = s.authCount > 0 && !expired;
        long now = history ? Math.max(t, s.lastEventMs) : t;
        double amount = amountMajor(a);
        int hour = hourOfDay(a);
        int minute = (int) (now / 60_000L);

        set(out, Feature.AMOUNT_LOG, StrictMath.log1p(amount));
        double mean = Double.NaN, std = Double.NaN;
        if (history && s.amountWeight > 0) {
            mean = s.amountMean;
            std = Math.max(1.0, Math.sqrt(Math.max(0, s.amountM2 / s.amountWeight)));
        }
        set(out, Feature.AMOUNT_TO_MEAN, history ? amount / Math.max(mean, 0.01) : Double.NaN);
        set(out, Feature.AMOUNT_ZSCORE, history && s.authCount >= 2 ? (amount - mean) / std : Double.NaN);

        set(out, Feature.COUNT_1M, history ? window(s, CardState.H_1M, now, s.bucketCount) : 0);
        set(out, Feature.COUNT_10M, history ? window(s, CardState.H_10M, now, s.bucketCount) : 0);
        set(out, Feature.COUNT_1H, history ? window(s, CardState.H_1H, now, s.bucketCount) : 0);
        double count24h = history ? window(s, CardState.H_24H, now, s.bucketCount) : 0;
        set(out, Feature.COUNT_24H, count24h);
        set(out, Feature.SUM_1H, history ? windowSum(s, CardState.H_1H, now) : 0);
        set(out, Feature.SUM_24H, history ? windowSum(s, CardState.H_24H, now) : 0);
        set(out, Feature.SECONDS_SINCE_LAST, history ? Math.max(0, t - s.lastEventMs) / 1000.0 : Double.NaN);

        int dayAgo = minute - 24 * 60;
        int memory = minute - (int) (MEMORY_MS / 60_000L);
        set(out, Feature.DISTINCT_MERCHANTS_24H, history ? countSince(s.merchantHash, s.merchantSeenMin, dayAgo) : 0);
        set(out, Feature.DISTINCT_COUNTRIES_24H, history ? countSince(s.countryCode, s.countrySeenMin, dayAgo) : 0);
        set(out, Feature.DISTINCT_MCCS_24H, history ? countSince(s.mccCode, s.mccSeenMin, dayAgo) : 0);
        set(out, Feature.NEW_MERCHANT,
                !history || !seenSince(s.merchantHash, s.merchantSeenMin, merchantKey(a.merchantId()), memory) ? 1 : 0);
        set(out, Feature.NEW_COUNTRY, a.merchantCountry() == null ? Double.NaN
                : !history || !seenSince(s.countryCode, s.countrySeenMin, countryKey(a.merchantCountry()), memory) ? 1 : 0);
        set(out, Feature.NEW_MCC, a.mcc() == null ? Double.NaN
                : !history || !seenSince(s.mccCode, s.mccSeenMin, mccKey(a.mcc()), memory) ? 1 : 0);

        set(out, Feature.SMALL_AMOUNTS_10M, history ? window(s, CardState.H_10M, now, s.bucketSmall) : 0);
        set(out, Feature.SMALL_AMOUNTS_24H, history ? window(s, CardState.H_24H, now, s.bucketSmall) : 0);

        double km = Double.NaN, kmh = Double.NaN;
        boolean presentHere = a.channel().cardPresent() && a.hasLocation();
        if (history && presentHere && !Float.isNaN(s.lastPresentLat)) {
            km = haversineKm(s.lastPresentLat, s.lastPresentLon, a.merchantLat(), a.merchantLon());
            double hours = Math.max(Math.abs(t - s.lastPresentMs), 60_000L) / 3_600_000.0;
            kmh = km / hours;
        }
        set(out, Feature.KM_FROM_LAST_PRESENT, km);
        set(out, Feature.KMH_FROM_LAST_PRESENT, kmh);

        set(out, Feature.HOUR_OF_DAY, hour);
        int total = 0;
        for (int c : s.hourCounts) {
            total += c;
        }
        set(out, Feature.HOUR_SHARE, history && total >= 5 ? (double) s.hourCounts[hour] / total : Double.NaN);
        set(out, Feature.DECLINES_1H, history ? window(s, CardState.H_1H, now, s.bucketDeclines) : 0);
        set(out, Feature.DECLINES_24H, history ? window(s, CardState.H_24H, now, s.bucketDeclines) : 0);

        set(out, Feature.CARD_PRESENT, a.channel().cardPresent() ? 1 : 0);
        set(out, Feature.ECOMMERCE, a.channel() == Channel.ECOMMERCE ? 1 : 0);
        set(out, Feature.ENTRY_MODE, switch (a.entryMode()) {
            case CHIP -> 0;
            case CONTACTLESS -> 1;
            case MAGSTRIPE -> 2;
            case MANUAL -> 3;
            case ECOMMERCE -> 4;
            case UNKNOWN -> Double.NaN;
        });
        set(out, Feature.HOST_DECLINED, a.declinedByHost() ? 1 : 0);
        set(out, Feature.MCC_CODE, a.mcc() == null ? Double.NaN : mccKey(a.mcc()));
        set(out, Feature.CARD_AGE_DAYS, history ? (now - s.firstEventMs) / (double) DAY_MS : 0);
        set(out, Feature.AUTH_COUNT, history ? s.authCount : 0);

        profileFeatures(a, card, amount, hour, count24h, presentHere, out);
        merchantFeatures(merchant, amount, out);
        merchantRiskFeatures(merchantRisk, out);
    }

    private static void profileFeatures(Authorization a, CardProfile p, double amount, int hour, double count24h,
                                        boolean presentHere, float[] out) {
        if (p == null) {
            for (Feature f : CARD_PROFILE_FEATURES) {
                set(out, f, Double.NaN);
            }
            return;
        }
        boolean spent = p.txnCount90d() > 0;
        set(out, Feature.PROFILE_AMOUNT_TO_MEAN_90D, spent ? amount / Math.max(p.amountMean90d(), 0.01) : Double.NaN);
        set(out, Feature.PROFILE_AMOUNT_Z_90D,
                spent ? (amount - p.amountMean90d()) / Math.max(1.0, p.amountStd90d()) : Double.NaN);
        set(out, Feature.PROFILE_RATE_RATIO_24H, count24h / Math.max(p.txnCount30d() / 30.0, 1.0 / 30));
        set(out, Feature.PROFILE_HOUR_SHARE, spent ? p.hourShare90d()[hour] : Double.NaN);
        Double mccMean = a.mcc() == null ? null : p.mccAmountMean90d().get(a.mcc());
        set(out, Feature.PROFILE_MCC_AMOUNT_RATIO, mccMean == null ? Double.NaN : amount / Math.max(mccMean, 0.01));
        set(out, Feature.PROFILE_KNOWN_MERCHANT, p.topMerchants().contains(a.merchantId()) ? 1 : 0);
        set(out, Feature.PROFILE_KNOWN_COUNTRY, a.merchantCountry() == null ? Double.NaN
                : p.topCountries().contains(a.merchantCountry()) ? 1 : 0);
        set(out, Feature.PROFILE_KM_FROM_HOME, presentHere && !Double.isNaN(p.homeLat())
                ? haversineKm(p.homeLat(), p.homeLon(), a.merchantLat(), a.merchantLon()) : Double.NaN);
        set(out, Feature.PROFILE_CHARGEBACKS, p.chargebacks365d());
        set(out, Feature.PROFILE_AGE_DAYS,
                Math.floorDiv(a.eventTimeMs(), DAY_MS) - p.asOf().toEpochDay());
    }

    private static void merchantFeatures(MerchantProfile m, double amount, float[] out) {
        if (m == null) {
            set(out, Feature.MERCHANT_FRAUD_RATE, Double.NaN);
            set(out, Feature.MERCHANT_COMPROMISE, Double.NaN);
            set(out, Feature.MERCHANT_AMOUNT_RATIO, Double.NaN);
            set(out, Feature.MERCHANT_LOG_VOLUME, Double.NaN);
            return;
        }
        set(out, Feature.MERCHANT_FRAUD_RATE, m.fraudRate90d());
        set(out, Feature.MERCHANT_COMPROMISE, m.compromiseScore());
        set(out, Feature.MERCHANT_AMOUNT_RATIO,
                m.txnCount90d() > 0 ? amount / Math.max(m.amountMean90d(), 0.01) : Double.NaN);
        set(out, Feature.MERCHANT_LOG_VOLUME, StrictMath.log1p(m.txnCount90d()));
    }

    private static void merchantRiskFeatures(MerchantRiskReading r, float[] out) {
        set(out, Feature.MERCHANT_FRAUDS_1D, r.frauds1d());
        set(out, Feature.MERCHANT_FRAUDS_7D, r.frauds7d());
        set(out, Feature.MERCHANT_FRAUDS_30D, r.frauds30d());
        set(out, Feature.MERCHANT_FRAUD_CARDS_1D, r.fraudCards1d());
        set(out, Feature.MERCHANT_FRAUD_CARDS_7D, r.fraudCards7d());
        set(out, Feature.MERCHANT_FRAUD_CARDS_30D, r.fraudCards30d());
        set(out, Feature.MERCHANT_DAYS_SINCE_FRAUD, r.daysSinceFraud());
    }

    // ---- helpers ----

    private static void set(float[] out, Feature f, double v) {
        out[f.ordinal()] = (float) v;
    }

    static void expireIfIdle(CardState s, long t) {
        if (s.authCount > 0 && t - s.lastEventMs > EXPIRY_MS) {
            s.clear();
        }
    }

    static double amountMajor(Authorization a) {
        return Currencies.toMajor(a.billingAmountMinor(), a.billingCurrency());
    }

    /** Local hour when the merchant's offset is known, else UTC. */
    public static int hourOfDay(Authorization a) {
        long local = a.eventTimeMs() + (a.hasUtcOffset() ? a.utcOffsetMinutes() * 60_000L : 0);
        return (int) Math.floorMod(local / 3_600_000L, 24L);
    }

    private static void addToBucket(CardState s, int h, long t, double amount, boolean small, boolean declined) {
        long width = CardState.BUCKET_MS[h];
        int n = CardState.BUCKETS[h];
        long id = Math.floorDiv(t, width);
        long newest = Math.floorDiv(s.lastEventMs, width);
        if (id <= newest - n) {
            return; // older than this horizon keeps
        }
        int slot = CardState.OFFSET[h] + (int) Math.floorMod(id, (long) n);
        if (s.bucketId[slot] != id) {
            s.bucketId[slot] = id;
            s.bucketCount[slot] = 0;
            s.bucketSum[slot] = 0;
            s.bucketSmall[slot] = 0;
            s.bucketDeclines[slot] = 0;
        }
        s.bucketCount[slot]++;
        s.bucketSum[slot] = (float) (s.bucketSum[slot] + amount);
        if (small) {
            s.bucketSmall[slot]++;
        }
        if (declined) {
            s.bucketDeclines[slot]++;
        }
    }

    /** Sum of {@code values} over the buckets of horizon h that end no earlier than now - horizon. */
    private static double window(CardState s, int h, long now, int[] values) {
        long id = Math.floorDiv(now, CardState.BUCKET_MS[h]);
        int n = CardState.BUCKETS[h];
        int total = 0;
        for (int i = CardState.OFFSET[h], end = i + n; i < end; i++) {
            long b = s.bucketId[i];
            if (b > id - n && b <= id) {
                total += values[i];
            }
        }
        return total;
    }

    private static double windowSum(CardState s, int h, long now) {
        long id = Math.floorDiv(now, CardState.BUCKET_MS[h]);
        int n = CardState.BUCKETS[h];
        double total = 0;
        for (int i = CardState.OFFSET[h], end = i + n; i < end; i++) {
            long b = s.bucketId[i];
            if (b > id - n && b <= id) {
                total += s.bucketSum[i];
            }
        }
        return total;
    }

    /** Exponentially decayed mean and variance of the amount (weighted Welford). */
    private static void foldAmount(CardState s, long t, double amount) {
        if (s.amountWeight > 0) {
            double dt = Math.max(0, t - s.amountTimeMs);
            double decay = StrictMath.pow(0.5, dt / AMOUNT_HALF_LIFE_MS);
            s.amountWeight *= decay;
            s.amountM2 *= decay;
        }
        double w = s.amountWeight + 1.0;
        double delta = amount - s.amountMean;
        s.amountMean += delta / w;
        s.amountM2 += delta * (amount - s.amountMean);
        s.amountWeight = w;
        s.amountTimeMs = Math.max(s.amountTimeMs, t);
    }

    /** Remembers key as seen at minute; evicts the least recently seen entry when full. */
    private static void remember(int[] keys, int[] seenMin, int key, int minute) {
        int victim = 0;
        for (int i = 0; i < keys.length; i++) {
            if (seenMin[i] != 0 && keys[i] == key) {
                seenMin[i] = Math.max(seenMin[i], minute);
                return;
            }
            if (seenMin[i] < seenMin[victim]) {
                victim = i;
            }
        }
        keys[victim] = key;
        seenMin[victim] = minute;
    }

    private static boolean seenSince(int[] keys, int[] seenMin, int key, int sinceMinute) {
        for (int i = 0; i < keys.length; i++) {
            if (seenMin[i] != 0 && keys[i] == key && seenMin[i] > sinceMinute) {
                return true;
            }
        }
        return false;
    }

    private static int countSince(int[] keys, int[] seenMin, int sinceMinute) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (seenMin[i] != 0 && seenMin[i] > sinceMinute) {
                n++;
            }
        }
        return n;
    }

    /** 64-bit FNV-1a of the id: collisions among a card's last 32 ids are negligible. */
    static long idHash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h; // 0 marks an empty slot
    }

    static int merchantKey(String merchantId) {
        int h = 0x811c9dc5;
        for (int i = 0; i < merchantId.length(); i++) {
            h ^= merchantId.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }

    static int countryKey(String country) {
        return (country.charAt(0) << 8) | country.charAt(1);
    }

    static int mccKey(String mcc) {
        return Integer.parseInt(mcc);
    }

    /** Great-circle distance, deterministic (StrictMath). */
    public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = StrictMath.toRadians(lat1), p2 = StrictMath.toRadians(lat2);
        double dp = p2 - p1, dl = StrictMath.toRadians(lon2 - lon1);
        double sp = StrictMath.sin(dp / 2), sl = StrictMath.sin(dl / 2);
        double h = sp * sp + StrictMath.cos(p1) * StrictMath.cos(p2) * sl * sl;
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(Math.min(1.0, StrictMath.sqrt(h)));
    }
}
