package dev.vigil.core.feature;

import dev.vigil.core.event.Profile;

import java.time.LocalDate;
import java.util.Collection;

/**
 * Which nightly profile an authorization may use: the newest whose {@code as_of} is at least
 * {@code lagDays} before the authorization's event date (UTC). The lag gives the nightly a full day
 * to publish, so Flink and the training replay choose the same version.
 */
public final class ProfileRule {
    public static final int DEFAULT_LAG_DAYS = 2;

    private ProfileRule() {
    }

    /** The newest as_of an authorization at {@code eventTimeMs} may use. */
    public static LocalDate newestUsable(long eventTimeMs, int lagDays) {
        return LocalDate.ofEpochDay(Math.floorDiv(eventTimeMs, CardFold.DAY_MS) - lagDays);
    }

    public static boolean usable(LocalDate asOf, long eventTimeMs, int lagDays) {
        return !asOf.isAfter(newestUsable(eventTimeMs, lagDays));
    }

    /** The version to use among {@code versions} (any order), or null when none is old enough. */
    public static <P extends Profile> P choose(Collection<P> versions, long eventTimeMs, int lagDays) {
        LocalDate limit = newestUsable(eventTimeMs, lagDays);
        P best = null;
        for (P p : versions) {
            if (!p.asOf().isAfter(limit) && (best == null || p.asOf().isAfter(best.asOf()))) {
                best = p;
            }
        }
        return best;
    }
}
