package dev.vigil.core.event;

/** How the card took part in the authorization. */
public enum Channel {
    /** The card was physically at a terminal (chip, contactless, magstripe, ATM). */
    CARD_PRESENT,
    /** Online, card not present. */
    ECOMMERCE,
    /** Mail or telephone order, card not present. */
    MOTO,
    /** The source did not say. */
    UNKNOWN;

    public boolean cardPresent() {
        return this == CARD_PRESENT;
    }
}
