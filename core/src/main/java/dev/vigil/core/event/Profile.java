package dev.vigil.core.event;

import java.time.LocalDate;

/** A nightly profile: one version per key and logical date. */
public sealed interface Profile permits CardProfile, MerchantProfile {
    String key();

    LocalDate asOf();
}
