package dev.vigil.core.event;

import java.time.Instant;

/**
 * Wall-clock time in epoch microseconds: the unit of a decision's processing time and of the load
 * test's scheduled send times, so every engine and the harness read the clock the same way.
 */
public final class WallClock {
    private WallClock() {
    }

    public static long micros() {
        return micros(Instant.now());
    }

    public static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
