package dev.vigil.core.config;

import java.time.Duration;

/** Durations as the command lines take them: seconds ({@code 30}, {@code 0.5}) or with a unit ({@code 90s}, {@code 5m}, {@code 1h}). */
public final class Durations {
    private Durations() {
    }

    /** The duration, or IllegalArgumentException saying what is expected. */
    public static Duration parse(String text) {
        try {
            char unit = text.charAt(text.length() - 1);
            if (Character.isDigit(unit)) {
                return Duration.ofMillis((long) (Double.parseDouble(text) * 1000));
            }
            double n = Double.parseDouble(text.substring(0, text.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofMillis((long) (n * 1000));
                case 'm' -> Duration.ofMillis((long) (n * 60_000));
                case 'h' -> Duration.ofMillis((long) (n * 3_600_000));
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a duration such as 30, 30s, 5m or 1h: " + text);
        }
    }
}
