package dev.vigil.core.feature;

import dev.vigil.core.TestData;
import dev.vigil.core.event.MerchantProfile;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class FeatureSetTest {

    @Test
    void namesAreUniqueDocumentedAndHashed() {
        assertEquals(FeatureSet.SIZE, new HashSet<>(FeatureSet.NAMES).size());
        for (Feature f : Feature.values()) {
            assertFalse(f.description().isBlank(), f.name());
        }
        assertEquals(64, FeatureSet.HASH.length());
        assertNotEquals(FeatureSet.HASH, FeatureSet.hash(FeatureSet.VERSION, FeatureSet.NAMES.subList(1, FeatureSet.SIZE)));
        assertNotEquals(FeatureSet.HASH, FeatureSet.hash("vigil-features/0", FeatureSet.NAMES));
    }

    @Test
    void theNewestProfileAtLeastLagDaysOldIsChosen() {
        long t = TestData.T0; // 2024-03-01
        MerchantProfile d26 = merchant(LocalDate.of(2024, 2, 26));
        MerchantProfile d28 = merchant(LocalDate.of(2024, 2, 28));
        MerchantProfile d29 = merchant(LocalDate.of(2024, 2, 29));
        assertSame(d28, ProfileRule.choose(List.of(d29, d26, d28), t, 2));
        assertSame(d29, ProfileRule.choose(List.of(d29, d26, d28), t, 1));
        assertNull(ProfileRule.choose(List.of(d29), t, 2));
    }

    private static MerchantProfile merchant(LocalDate asOf) {
        return new MerchantProfile("m", asOf, 1, 1, 1, 0, 0, 0);
    }
}
