package dev.vigil.testkit.world;

/** The fraud scenarios the world injects, with ground truth on every authorization they produce. */
public enum Scenario {
    /** Small online probes (many declined for a wrong CVV), then a large purchase within minutes. */
    CARD_TESTING,
    /** A taken-over account spends online in a country the card never used, in a burst. */
    ACCOUNT_TAKEOVER,
    /** A cloned card is used in person far away, soon after the real card was used at home. */
    STOLEN_CARD,
    /** Cards seen at a breached merchant are defrauded online days later. */
    MERCHANT_COMPROMISE,
    /** The cardholder maxes the card out over two days and never pays. */
    BUST_OUT
}
