package dev.vigil.core.feature;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.MerchantProfile;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vigil.core.TestData.auth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CardFoldTest {
    private static final long MIN = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;

    private static float f(float[] v, Feature feature) {
        return v[feature.ordinal()];
    }

    private static float[] step(CardState s, Authorization a) {
        float[] out = FeatureSet.newVector();
        CardFold.step(s, a, null, null, out);
        return out;
    }

    @Test
    void aNewCardHasNoHistoryFeatures() {
        float[] v = step(new CardState(), auth("a1", 0, 4250));
        assertEquals((float) Math.log1p(42.50), f(v, Feature.AMOUNT_LOG));
        assertTrue(Float.isNaN(f(v, Feature.AMOUNT_TO_MEAN)));
        assertTrue(Float.isNaN(f(v, Feature.SECONDS_SINCE_LAST)));
        assertEquals(0, f(v, Feature.COUNT_24H));
        assertEquals(1, f(v, Feature.NEW_MERCHANT));
        assertEquals(1, f(v, Feature.CARD_PRESENT));
        assertEquals(7, f(v, Feature.HOUR_OF_DAY), "12:00 UTC is 07:00 at UTC-5");
        assertTrue(Float.isNaN(f(v, Feature.PROFILE_AMOUNT_TO_MEAN_90D)));
    }

    @Test
    void windowsCountThePriorAuthorizationsOnly() {
        CardState s = new CardState();
        step(s, auth("a1", 0, 100));
        step(s, auth("a2", 20_000, 200));
        step(s, auth("a3", 5 * MIN, 300));
        float[] v = step(s, auth("a4", 5 * MIN + 30_000, 400));
        assertEquals(1, f(v, Feature.COUNT_1M));
        assertEquals(3, f(v, Feature.COUNT_10M));
        assertEquals(3, f(v, Feature.COUNT_24H));
        assertEquals(6.0f, f(v, Feature.SUM_1H));
        assertEquals(30, f(v, Feature.SECONDS_SINCE_LAST));
        assertEquals(3, f(v, Feature.SMALL_AMOUNTS_10M));
        assertEquals(0, f(v, Feature.NEW_MERCHANT));
        float[] later = step(s, auth("a5", 2 * DAY, 100));
        assertEquals(0, f(later, Feature.COUNT_24H), "a day later the 24 h window is empty");
        assertEquals(4, f(later, Feature.AUTH_COUNT));
    }

    @Test
    void aFormatTwoStateIsReadWithoutTheDroppedAmountHabitCounts() throws java.io.IOException {
        CardState s = new CardState();
        step(s, auth("a1", 0, 4000));
        step(s, auth("a2", HOUR, 50000));
        byte[] v1 = CardStateCodec.encode(s);
        // Format 2: format 1 with a large-amount count after each slot and 7 one-day slots more.
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(b);
        int head = 1 + 4 * 8 + CardState.SEEN_IDS * 8 + 1, slot = 4 + 2 + 4 + 2 + 2;
        out.writeByte(2);
        out.write(v1, 1, head - 1);
        for (int i = 0; i < CardState.SLOTS; i++) {
            out.write(v1, head + i * slot, slot);
            out.writeShort(1);
        }
        for (int i = CardState.SLOTS; i < CardState.SLOTS_FORMAT_2; i++) {
            out.writeInt(20_000 + i);
            out.writeShort(3);
            out.writeFloat(500f);
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(1);
        }
        int tail = head + CardState.SLOTS * slot;
        out.write(v1, tail, v1.length - tail);
        out.flush();
        CardState old = CardStateCodec.decode(b.toByteArray());
        assertEquals(s, old, "every count still computed survives; the dropped ones are gone");
        assertEquals(1, CardStateCodec.encode(old)[0], "written back in format 1");
    }

    @Test
    void aDuplicateAuthorizationIdIsScoredButNotFoldedTwice() {
        CardState s = new CardState();
        assertTrue(CardFold.step(s, auth("a1", 0, 100), null, null, FeatureSet.newVector()));
        CardState before = s.copy();
        assertFalse(CardFold.step(s, auth("a1", 0, 100), null, null, FeatureSet.newVector()));
        assertEquals(before, s);
        assertEquals(1, s.authCount());
    }

    @Test
    void outOfOrderEventsDoNotRewindTheClockAndLandInTheirBuckets() {
        CardState s = new CardState();
        step(s, auth("a1", 10 * MIN, 100));
        float[] late = step(s, auth("a2", 2 * MIN, 100)); // arrives late, 8 minutes older
        assertEquals(0, f(late, Feature.SECONDS_SINCE_LAST), "gap to an older event is clamped at zero");
        assertEquals(1, f(late, Feature.COUNT_10M));
        assertEquals(TestData.T0 + 10 * MIN, s.lastEventMs(), "the clock never goes back");
        float[] next = step(s, auth("a3", 11 * MIN, 100));
        assertEquals(2, f(next, Feature.COUNT_1H), "the late event is counted in its own bucket");

        // The same events in event-time order give the same counts once all are folded.
        CardState ordered = new CardState();
        step(ordered, auth("a2", 2 * MIN, 100));
        step(ordered, auth("a1", 10 * MIN, 100));
        float[] same = step(ordered, auth("a3", 11 * MIN, 100));
        assertEquals(f(same, Feature.COUNT_1H), f(next, Feature.COUNT_1H));
        assertEquals(f(same, Feature.COUNT_24H), f(next, Feature.COUNT_24H));
    }

    @Test
    void stateExpiresAfterInactivityInsideTheFold() {
        CardState s = new CardState();
        step(s, auth("a1", 0, 100));
        step(s, auth("a2", MIN, 100));
        assertEquals(TestData.T0 + MIN + CardFold.EXPIRY_MS, s.expiresAtMs());
        float[] v = step(s, auth("a3", MIN + CardFold.EXPIRY_MS + 1, 100));
        assertTrue(Float.isNaN(f(v, Feature.SECONDS_SINCE_LAST)), "an expired card starts over");
        assertEquals(1, s.authCount());
        assertEquals(1, f(v, Feature.NEW_MERCHANT));
    }

    @Test
    void impliedSpeedFromTheLastCardPresentLocation() {
        CardState s = new CardState();
        step(s, auth("a1", 0, 100)); // New York
        Authorization london = TestData.at(auth("a2", HOUR, 100), "m-london", "GB", 51.5074, -0.1278,
                Channel.CARD_PRESENT);
        float[] v = step(s, london);
        assertEquals(5570, f(v, Feature.KM_FROM_LAST_PRESENT), 10);
        assertEquals(5570, f(v, Feature.KMH_FROM_LAST_PRESENT), 10);
        assertEquals(1, f(v, Feature.NEW_COUNTRY));
        Authorization online = TestData.at(auth("a3", 2 * HOUR, 100), "shop", "US", 40.0, -74.0, Channel.ECOMMERCE);
        assertTrue(Float.isNaN(f(step(s, online), Feature.KM_FROM_LAST_PRESENT)), "only card-present has a place");
    }

    @Test
    void amountStatisticsFollowTheCardsHistory() {
        CardState s = new CardState();
        for (int i = 0; i < 20; i++) {
            step(s, auth("a" + i, i * HOUR, 4000 + (i % 2) * 1000));
        }
        float[] v = step(s, auth("big", 21 * HOUR, 90_000));
        assertEquals(20, f(v, Feature.AMOUNT_TO_MEAN), 1.5);
        assertTrue(f(v, Feature.AMOUNT_ZSCORE) > 50);
    }

    @Test
    void profilesFeedTheirFeaturesOnlyWhenPresent() {
        float[] hours = new float[24];
        hours[7] = 0.5f;
        CardProfile card = new CardProfile(TestData.TOKEN, LocalDate.of(2024, 2, 28), 30, 40, 10, 90, 50, 20, hours,
                Map.of("5411", 25.0), List.of("US"), List.of("merchant-1"), 40.7, -74.0, 1, null);
        MerchantProfile merchant = new MerchantProfile("merchant-1", LocalDate.of(2024, 2, 28), 1000, 300, 85.0,
                0.01, 0.2, 3);
        float[] v = FeatureSet.newVector();
        CardFold.step(new CardState(), auth("a1", 0, 10_000), card, merchant, v);
        assertEquals(2.0f, f(v, Feature.PROFILE_AMOUNT_TO_MEAN_90D));
        assertEquals(2.5f, f(v, Feature.PROFILE_AMOUNT_Z_90D));
        assertEquals(0.5f, f(v, Feature.PROFILE_HOUR_SHARE));
        assertEquals(4.0f, f(v, Feature.PROFILE_MCC_AMOUNT_RATIO));
        assertEquals(1, f(v, Feature.PROFILE_KNOWN_MERCHANT));
        assertEquals(1, f(v, Feature.PROFILE_KNOWN_COUNTRY));
        assertEquals(2, f(v, Feature.PROFILE_AGE_DAYS));
        assertEquals(0.2f, f(v, Feature.MERCHANT_COMPROMISE));
        assertEquals(100f / 85f, f(v, Feature.MERCHANT_AMOUNT_RATIO), 1e-6);
    }

    @Test
    void theFoldIsDeterministicAndItsStateSurvivesSerialization() {
        List<Authorization> events = randomCardHistory(new Random(1), 500);
        CardState a = new CardState(), b = new CardState();
        for (Authorization e : events) {
            float[] va = step(a, e);
            CardState restored = CardStateCodec.decode(CardStateCodec.encode(b));
            float[] vb = step(restored, e);
            b = restored;
            assertArrayEquals(va, vb, "same vector whether or not the state went through bytes");
        }
        assertEquals(a, b);
        assertEquals(500, a.authCount());
        assertEquals(5, a.recent().size());
        assertEquals(events.get(499).authorizationId(), a.recent().get(0).authorizationId());
    }

    @Test
    void aWorstCaseCardStaysWithinTheByteBudget() {
        CardState s = new CardState();
        Random r = new Random(2);
        for (int i = 0; i < 5_000; i++) {
            String id = ("id-" + i + "-").repeat(20).substring(0, 64);
            Authorization base = auth(id, i * 7_000L, r.nextInt(1_000_000));
            String merchant = ("merchant-" + i + "-").repeat(8).substring(0, 64);
            step(s, TestData.at(base, merchant, "C" + (char) ('A' + r.nextInt(26)), r.nextDouble() * 80,
                    r.nextDouble() * 170, Channel.CARD_PRESENT));
        }
        int size = CardStateCodec.encode(s).length;
        assertTrue(size <= CardStateCodec.BYTE_BUDGET, "state is " + size + " bytes");
    }

    @Test
    void shufflingArrivalOrderChangesNothingOnceAllIsFolded() {
        List<Authorization> events = randomCardHistory(new Random(3), 60);
        CardState inOrder = new CardState();
        events.forEach(e -> CardFold.apply(inOrder, e));
        List<Authorization> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(4));
        CardState mixed = new CardState();
        shuffled.forEach(e -> CardFold.apply(mixed, e));
        assertEquals(inOrder.authCount(), mixed.authCount());
        assertEquals(inOrder.lastEventMs(), mixed.lastEventMs());
        float[] x = FeatureSet.newVector(), y = FeatureSet.newVector();
        Authorization probe = auth("probe", 30 * DAY, 500);
        CardFold.features(inOrder, probe, null, null, MerchantRiskReading.NONE, x);
        CardFold.features(mixed, probe, null, null, MerchantRiskReading.NONE, y);
        for (Feature feature : new Feature[]{Feature.COUNT_24H, Feature.SUM_24H, Feature.DISTINCT_MERCHANTS_24H,
                Feature.SMALL_AMOUNTS_24H, Feature.DECLINES_24H, Feature.CARD_AGE_DAYS}) {
            assertEquals(f(x, feature), f(y, feature), 1e-3, feature.name());
        }
    }

    static List<Authorization> randomCardHistory(Random r, int n) {
        List<Authorization> out = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += (long) (r.nextDouble() * 12 * HOUR);
            Authorization a = auth("h" + i, t, 100 + r.nextInt(20_000));
            out.add(TestData.at(a, "m" + r.nextInt(40), r.nextInt(10) == 0 ? "FR" : "US",
                    40 + r.nextDouble(), -74 + r.nextDouble(), r.nextBoolean() ? Channel.CARD_PRESENT : Channel.ECOMMERCE));
        }
        return out;
    }
}
