package dev.vigil.loadtest.cli;

import dev.vigil.core.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** How the tools read option values picocli has no converter for, with messages that say what is wanted. */
final class Converters {
    private Converters() {
    }

    /** Seconds, or a value with a unit: 90s, 5m, 1h. */
    static final class DurationText implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("a duration such as 30, 30s, 5m or 1h, not '" + value + "'");
            }
        }
    }

    /** A whole number, optionally with _ between digit groups (300_000). */
    static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("a whole number, not '" + value + "'");
            }
        }
    }
}
