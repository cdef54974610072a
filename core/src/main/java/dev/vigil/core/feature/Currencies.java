package dev.vigil.core.feature;

/** ISO 4217 minor-unit exponents, for turning minor units into major units. */
public final class Currencies {
    private Currencies() {
    }

    /** Digits after the decimal point; 2 for any currency not listed. */
    public static int exponent(String currency) {
        if (currency == null) {
            return 2;
        }
        return switch (currency) {
            case "JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF", "HUF", "TWD", "IDR" -> 0;
            case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD" -> 3;
            default -> 2;
        };
    }

    public static double toMajor(long minor, String currency) {
        return switch (exponent(currency)) {
            case 0 -> minor;
            case 3 -> minor / 1000.0;
            default -> minor / 100.0;
        };
    }

    /**
     * The amount in thousandths of the major unit, exactly (no ISO 4217 currency has more than three
     * minor digits): sums of these are exact whatever order an engine adds them in.
     */
    public static long toThousandths(long minor, String currency) {
        return switch (exponent(currency)) {
            case 0 -> minor * 1000;
            case 3 -> minor;
            default -> minor * 10;
        };
    }

    public static long toMinor(double major, String currency) {
        return switch (exponent(currency)) {
            case 0 -> Math.round(major);
            case 3 -> Math.round(major * 1000.0);
            default -> Math.round(major * 100.0);
        };
    }
}
