package dev.vigil.core.feature;

import dev.vigil.core.event.RecentAuthorization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything Vigil remembers about one card between authorizations. Fixed-size arrays only, so a
 * card's memory is bounded whatever it does ({@link CardStateCodec#BYTE_BUDGET}); only
 * {@link CardFold} changes it. Times are epoch milliseconds of event time.
 */
public final class CardState {
    // ---- bucketed horizons: 1 min as 6 x 10 s, 10 min as 10 x 1 min, 1 h as 12 x 5 min, 24 h as 24 x 1 h
    static final long[] BUCKET_MS = {10_000L, 60_000L, 300_000L, 3_600_000L};
    static final int[] BUCKETS = {6, 10, 12, 24};
    static final int[] OFFSET = {0, 6, 16, 28};
    static final int SLOTS = 52;
    /** Format 2 also kept 7 one-day slots after these, for the amount-habit features since dropped. */
    static final int SLOTS_FORMAT_2 = 59;
    static final int H_1M = 0, H_10M = 1, H_1H = 2, H_24H = 3;

    static final int SEEN_IDS = 32;
    static final int MERCHANTS = 32;
    static final int COUNTRIES = 8;
    static final int MCCS = 16;
    public static final int RECENT = 5;

    long firstEventMs;
    /** The card's event-time clock: the largest event time folded so far. */
    long lastEventMs;
    long authCount;
    long lastSeq;

    final long[] seenIds = new long[SEEN_IDS];
    int seenNext;

    final long[] bucketId = new long[SLOTS];
    final int[] bucketCount = new int[SLOTS];
    final float[] bucketSum = new float[SLOTS];
    final int[] bucketSmall = new int[SLOTS];
    final int[] bucketDeclines = new int[SLOTS];

    double amountWeight;
    double amountMean;
    double amountM2;
    long amountTimeMs;

    final int[] hourCounts = new int[24];

    final int[] merchantHash = new int[MERCHANTS];
    final int[] merchantSeenMin = new int[MERCHANTS];
    final int[] countryCode = new int[COUNTRIES];
    final int[] countrySeenMin = new int[COUNTRIES];
    final int[] mccCode = new int[MCCS];
    final int[] mccSeenMin = new int[MCCS];

    float lastPresentLat = Float.NaN;
    float lastPresentLon = Float.NaN;
    long lastPresentMs;

    /** Newest at {@code recentNext - 1}, arrival order. */
    final RecentAuthorization[] recent = new RecentAuthorization[RECENT];
    int recentNext;

    public CardState() {
        clear();
    }

    /** Forgets everything: a new or expired card (or, for a caller folding many cards one at a time, the next one). */
    public void clear() {
        firstEventMs = 0;
        lastEventMs = 0;
        authCount = 0;
        lastSeq = 0;
        Arrays.fill(seenIds, 0);
        seenNext = 0;
        Arrays.fill(bucketId, Long.MIN_VALUE);
        Arrays.fill(bucketCount, 0);
        Arrays.fill(bucketSum, 0);
        Arrays.fill(bucketSmall, 0);
        Arrays.fill(bucketDeclines, 0);
        amountWeight = 0;
        amountMean = 0;
        amountM2 = 0;
        amountTimeMs = 0;
        Arrays.fill(hourCounts, 0);
        Arrays.fill(merchantHash, 0);
        Arrays.fill(merchantSeenMin, 0);
        Arrays.fill(countryCode, 0);
        Arrays.fill(countrySeenMin, 0);
        Arrays.fill(mccCode, 0);
        Arrays.fill(mccSeenMin, 0);
        lastPresentLat = Float.NaN;
        lastPresentLon = Float.NaN;
        lastPresentMs = 0;
        Arrays.fill(recent, null);
        recentNext = 0;
    }

    public boolean isEmpty() {
        return authCount == 0;
    }

    /** Authorizations folded since the card was new (or last expired). */
    public long authCount() {
        return authCount;
    }

    /** The sequence number of the last authorization folded. */
    public long lastSeq() {
        return lastSeq;
    }

    public long lastEventMs() {
        return lastEventMs;
    }

    /** Event time after which, with no new authorization, the card's state is forgotten. */
    public long expiresAtMs() {
        return lastEventMs + CardFold.EXPIRY_MS;
    }

    /** The card's last few authorizations, newest first (for alerts). */
    public List<RecentAuthorization> recent() {
        List<RecentAuthorization> out = new ArrayList<>(RECENT);
        for (int i = 1; i <= RECENT; i++) {
            RecentAuthorization r = recent[Math.floorMod(recentNext - i, RECENT)];
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** A deep copy, for tests and for callers that must not share state. */
    public CardState copy() {
        return CardStateCodec.decode(CardStateCodec.encode(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CardState s && Arrays.equals(CardStateCodec.encode(this), CardStateCodec.encode(s));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(CardStateCodec.encode(this));
    }
}
