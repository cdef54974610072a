package dev.vigil.core.event;

/** How the card data was captured (ISO 8583 POS entry mode, simplified). */
public enum EntryMode {
    CHIP, CONTACTLESS, MAGSTRIPE, MANUAL, ECOMMERCE, UNKNOWN
}
