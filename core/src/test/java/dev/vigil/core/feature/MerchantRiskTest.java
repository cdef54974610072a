package dev.vigil.core.feature;

import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerchantRiskTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = 1_780_000_000_000L;

    private static Label label(String auth, String card, boolean fraud, LabelSource source, long eventAt, long knownAt) {
        return Label.of(auth, "tok_" + card + "_AAAAAAAAAAAAAAAA", "m-1", fraud, source, T0 + knownAt, T0 + eventAt, null);
    }

    @Test
    void aFraudCountsFromTheMomentItsLabelIsKnownNotFromWhenItHappened() {
        MerchantRisk risk = new MerchantRisk();
        assertTrue(risk.add(label("a1", "c1", true, LabelSource.CHARGEBACK, 0, 3 * DAY)));
        assertEquals(MerchantRiskReading.NONE, risk.read(T0 + 3 * DAY - 1), "not yet known");
        MerchantRiskReading known = risk.read(T0 + 3 * DAY);
        assertEquals(0, known.frauds1d(), "the fraud happened 3 days ago");
        assertEquals(1, known.frauds7d());
        assertEquals(1, known.frauds30d());
        assertEquals(3.0, known.daysSinceFraud());
        assertEquals(T0 + 3 * DAY, known.labelsKnownAtMs());
        assertEquals(0, risk.read(T0 + 31 * DAY).frauds30d(), "out of the 30-day window");
        assertEquals(31.0, risk.read(T0 + 31 * DAY).daysSinceFraud(), "still remembered as the last fraud");
    }

    @Test
    void aChargebackOverridesTheAnalystOnceItIsKnown() {
        MerchantRisk risk = new MerchantRisk();
        risk.add(label("a1", "c1", false, LabelSource.ANALYST, 0, HOUR));
        risk.add(label("a1", "c1", true, LabelSource.CHARGEBACK, 0, 5 * HOUR));
        risk.add(label("a2", "c2", true, LabelSource.ANALYST, HOUR, 2 * HOUR));
        risk.add(label("a2", "c2", false, LabelSource.CHARGEBACK, HOUR, 4 * HOUR));
        assertEquals(0, risk.read(T0 + HOUR).frauds1d(), "the analyst said legitimate");
        assertEquals(1, risk.read(T0 + 3 * HOUR).frauds1d(), "a2 confirmed by its analyst");
        assertEquals(0, risk.read(T0 + 4 * HOUR).frauds1d(), "a2's chargeback says legitimate");
        assertEquals(1, risk.read(T0 + 5 * HOUR).frauds1d(), "a1's chargeback overrides its analyst");
        assertEquals(T0 + 5 * HOUR, risk.read(T0 + 5 * HOUR).labelsKnownAtMs());
    }

    @Test
    void distinctCardsCountOnceAndEachWindowStandsAlone() {
        MerchantRisk risk = new MerchantRisk();
        risk.add(label("a1", "c1", true, LabelSource.CHARGEBACK, 0, 20 * DAY));
        risk.add(label("a2", "c1", true, LabelSource.CHARGEBACK, 15 * DAY, 20 * DAY));
        risk.add(label("a3", "c2", true, LabelSource.CHARGEBACK, 19 * DAY + 12 * HOUR, 20 * DAY));
        risk.add(label("a4", "c3", true, LabelSource.CHARGEBACK, 19 * DAY + 13 * HOUR, 20 * DAY));
        MerchantRiskReading r = risk.read(T0 + 20 * DAY);
        assertEquals(new MerchantRiskReading(2, 3, 4, 2, 3, 3, 0.4583333333333333, T0 + 20 * DAY), r);
    }

    @Test
    void aResentLabelChangesNothingAndTheFirstVerdictStands() {
        MerchantRisk risk = new MerchantRisk();
        assertTrue(risk.add(label("a1", "c1", true, LabelSource.ANALYST, 0, HOUR)));
        assertFalse(risk.add(label("a1", "c1", false, LabelSource.ANALYST, 0, 2 * HOUR)));
        assertEquals(1, risk.read(T0 + 3 * HOUR).frauds1d());
        assertEquals(1, risk.size());
    }

    @Test
    void memoryIsBoundedAndTheKeptSetDoesNotDependOnArrivalOrder() {
        List<Label> labels = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 3 * MerchantRisk.MAX_ENTRIES; i++) {
            long event = (long) (r.nextDouble() * 90 * DAY);
            labels.add(label("a" + i, "c" + r.nextInt(50), r.nextInt(4) != 0,
                    r.nextBoolean() ? LabelSource.CHARGEBACK : LabelSource.ANALYST, event, event + (long) (r.nextDouble() * 10 * DAY)));
        }
        MerchantRisk inOrder = new MerchantRisk();
        labels.forEach(inOrder::add);
        Collections.shuffle(labels, new Random(6));
        MerchantRisk shuffled = new MerchantRisk();
        labels.forEach(shuffled::add);
        assertEquals(MerchantRisk.MAX_ENTRIES, inOrder.size());
        assertArrayEquals(inOrder.encode(), shuffled.encode());
        for (long t = 0; t < 110 * DAY; t += 7 * HOUR) {
            assertEquals(inOrder.read(T0 + t), shuffled.read(T0 + t));
        }
    }

    @Test
    void anEntryFarOlderThanTheNewestIsDropped() {
        MerchantRisk risk = new MerchantRisk();
        risk.add(label("new", "c1", true, LabelSource.CHARGEBACK, 100 * DAY, 101 * DAY));
        assertFalse(risk.add(label("old", "c2", true, LabelSource.CHARGEBACK, 100 * DAY - MerchantRisk.KEEP_MS - 1, 101 * DAY)));
        assertEquals(1, risk.size());
    }

    @Test
    void theEncodedFormRoundTripsAndAnUnknownFormatIsRefused() {
        MerchantRisk risk = new MerchantRisk();
        risk.add(label("a1", "c1", false, LabelSource.ANALYST, 0, HOUR));
        risk.add(label("a1", "c1", true, LabelSource.CHARGEBACK, 0, 5 * HOUR));
        risk.add(label("a2", "c2", true, LabelSource.ANALYST, HOUR, 2 * HOUR));
        MerchantRisk back = MerchantRisk.decode(risk.encode());
        assertArrayEquals(risk.encode(), back.encode());
        assertEquals(risk.read(T0 + 3 * HOUR), back.read(T0 + 3 * HOUR));
        assertFalse(back.add(label("a2", "c2", false, LabelSource.ANALYST, HOUR, 3 * HOUR)), "still knows a2's verdict");
        byte[] bad = risk.encode();
        bad[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> MerchantRisk.decode(bad));
    }
}
