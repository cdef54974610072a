package dev.vigil.alertapi.alert;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** One page of a newest-first listing; {@code next} is the cursor of the following page, if any. */
@Serdeable
public record Page<T>(List<T> items, @Nullable String next) {
}
