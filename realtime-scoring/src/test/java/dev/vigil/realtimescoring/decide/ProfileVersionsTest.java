package dev.vigil.realtimescoring.decide;

import dev.vigil.core.event.MerchantProfile;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The profile versions the job keeps: the newest three nights, one version per night. */
class ProfileVersionsTest {
    @Test
    void theNewestThreeProfileVersionsAreKeptOnePerNight() {
        MerchantProfile[] kept = null;
        for (String day : new String[] {"2024-02-25", "2024-02-28", "2024-02-26", "2024-02-27"}) {
            kept = ProfileVersions.addMerchant(kept, merchant(day, 0.1));
        }
        kept = ProfileVersions.addMerchant(kept, merchant("2024-02-28", 0.9));
        assertEquals("[2024-02-26, 2024-02-27, 2024-02-28]", Arrays.toString(Arrays.stream(kept).map(MerchantProfile::asOf).toArray()));
        assertEquals(0.9, kept[2].compromiseScore(), 1e-9, "a republished night replaces its version");

        CardRecord rec = new CardRecord();
        for (String day : new String[] {"2024-02-25", "2024-02-28", "2024-02-26", "2024-02-27"}) {
            ProfileVersions.addCard(rec, day.getBytes(), LocalDate.parse(day).toEpochDay());
        }
        long march1 = LocalDate.parse("2024-03-01").toEpochDay() * 86_400_000L;
        assertEquals("2024-02-28", new String(ProfileVersions.chooseCard(rec, march1, 2)), "two days before, a leap year");
        assertNull(ProfileVersions.chooseCard(rec, march1 - 3 * 86_400_000L, 2), "02-25 was dropped as the fourth night");
    }

    private static MerchantProfile merchant(String asOf, double compromise) {
        return new MerchantProfile("merchant-1", LocalDate.parse(asOf), 1_000, 300, 40.0, 0.01, compromise, 2);
    }
}
