package dev.vigil.testkit.world;

import java.time.LocalDate;

/**
 * What the world looks like. Rates are per card per 30 days; {@code fraudScale} multiplies all of
 * them (1 gives about 0.3 % fraudulent authorizations).
 *
 * @param seed       everything follows from it: same seed, same world, same traffic
 * @param cards      number of cards
 * @param start      the first UTC day simulated
 * @param idTag      prefix of authorization ids, so that separate runs never share ids
 * @param fraudScale multiplier of every fraud rate
 */
public record WorldConfig(long seed, int cards, LocalDate start, String idTag, double fraudScale) {
    public static final double CARD_TESTING_RATE = 0.006;
    public static final double TAKEOVER_RATE = 0.005;
    public static final double STOLEN_RATE = 0.004;
    public static final double BUST_OUT_RATE = 0.0015;
    /** Chance per day that one more merchant is breached, per 10,000 cards. */
    public static final double BREACH_RATE = 0.25;
    /** Chance that a card used at a breached merchant during the breach is later defrauded. */
    public static final double BREACH_VICTIM_RATE = 0.35;

    public WorldConfig {
        if (cards < 1) {
            throw new IllegalArgumentException("cards must be at least 1");
        }
        if (!idTag.matches("[A-Za-z0-9]{1,12}")) {
            throw new IllegalArgumentException("id tag must be 1-12 letters or digits");
        }
        if (fraudScale < 0) {
            throw new IllegalArgumentException("fraud scale must be >= 0");
        }
    }

    /**
     * The readiness probes' world: 20 cards of their own, ids tagged "probe", no fraud, so a probe folds
     * into no card a run sends or checks.
     */
    public static WorldConfig probes() {
        return new WorldConfig(7, 20, LocalDate.now(java.time.ZoneOffset.UTC), "probe", 0.0);
    }

    public static WorldConfig of(long seed, int cards, LocalDate start) {
        return new WorldConfig(seed, cards, start, "s" + Long.toString(Math.abs(seed), 36), 1.0);
    }
}
