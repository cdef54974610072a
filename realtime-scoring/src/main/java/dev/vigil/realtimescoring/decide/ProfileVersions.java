package dev.vigil.realtimescoring.decide;

import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.feature.ProfileRule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The nightly profile versions the job keeps, per card (in its {@link CardRecord}) and per merchant
 * (in broadcast state): the newest {@link #KEPT}, one per {@code as_of}, so that core's
 * {@link ProfileRule} can choose the version an authorization's date allows while a new night's
 * profiles are already arriving. Card versions stay JSON until chosen; see {@link ProfileCache}.
 */
final class ProfileVersions {
    /**
     * Three nights: under the rule's two-day lag the newest night's version is too new for today's
     * authorizations, the one before serves them, and the third serves an authorization from
     * yesterday that arrives late.
     */
    static final int KEPT = 3;

    private ProfileVersions() {
    }

    /** Adds a card profile version (JSON, its {@code as_of} as an epoch day); the same day replaces the old. */
    static void addCard(CardRecord rec, byte[] json, long asOfDay) {
        TreeMap<Long, byte[]> versions = new TreeMap<>();
        for (int i = 0; i < rec.profiles.length; i++) {
            versions.put(rec.profileAsOfDays[i], rec.profiles[i]);
        }
        versions.put(asOfDay, json);
        while (versions.size() > KEPT) {
            versions.pollFirstEntry();
        }
        rec.profiles = versions.values().toArray(byte[][]::new);
        rec.profileAsOfDays = versions.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** The JSON of the newest card version core's rule allows at {@code eventTimeMs}, or null. Decodes nothing. */
    static byte[] chooseCard(CardRecord rec, long eventTimeMs, int lagDays) {
        long newestUsable = ProfileRule.newestUsable(eventTimeMs, lagDays).toEpochDay();
        int chosen = -1;
        for (int i = 0; i < rec.profileAsOfDays.length; i++) {
            if (rec.profileAsOfDays[i] <= newestUsable && (chosen < 0 || rec.profileAsOfDays[i] > rec.profileAsOfDays[chosen])) {
                chosen = i;
            }
        }
        return chosen < 0 ? null : rec.profiles[chosen];
    }

    /** {@code old} (may be null) with {@code p} added, oldest first; the same {@code as_of} replaces the old. */
    static MerchantProfile[] addMerchant(MerchantProfile[] old, MerchantProfile p) {
        List<MerchantProfile> kept = new ArrayList<>();
        if (old != null) {
            for (MerchantProfile o : old) {
                if (!o.asOf().equals(p.asOf())) {
                    kept.add(o);
                }
            }
        }
        kept.add(p);
        kept.sort(Comparator.comparing(MerchantProfile::asOf));
        while (kept.size() > KEPT) {
            kept.remove(0);
        }
        return kept.toArray(MerchantProfile[]::new);
    }

    /** The merchant version core's rule allows at {@code eventTimeMs}, or null. */
    static MerchantProfile chooseMerchant(MerchantProfile[] versions, long eventTimeMs, int lagDays) {
        return versions == null ? null : ProfileRule.choose(Arrays.asList(versions), eventTimeMs, lagDays);
    }
}
