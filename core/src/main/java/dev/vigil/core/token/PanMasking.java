package dev.vigil.core.token;

import java.nio.charset.StandardCharsets;

/**
 * Masks every run of 12 or more digits so that bytes kept for diagnosis never carry a card number.
 * A run may be written the ways PANs are: digits separated by up to two spaces, dashes or dots
 * ({@code 4111.1111.1111.1111}, {@code 4111  1111 ...}), and digits written as JSON escapes
 * ({@code \u0034}), which a JSON reader turns back into digits. Masked digits become {@code *}
 * (an escape becomes {@code \u002a}), so the length and the JSON stay as they were.
 */
public final class PanMasking {
    public static final int MIN_RUN = 12;
    private static final int ESCAPE_WIDTH = 6;

    private PanMasking() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        byte[] masked = mask(text.getBytes(StandardCharsets.UTF_8));
        return new String(masked, StandardCharsets.UTF_8);
    }

    /** A masked copy: digits of long runs become '*', everything else (and the length) is kept. */
    public static byte[] mask(byte[] bytes) {
        byte[] out = bytes.clone();
        DigitRuns.forEach(new DigitRuns.Text() {
            @Override
            public int length() {
                return out.length;
            }

            @Override
            public int digitWidth(int i) {
                return PanMasking.digitWidth(out, i);
            }

            @Override
            public boolean isSeparator(int i) {
                return DigitRuns.isSeparator(out[i]);
            }
        }, (from, to, digits) -> {
            if (digits < MIN_RUN) {
                return;
            }
            for (int k = from; k < to; ) {
                int width = digitWidth(out, k);
                if (width == 1) {
                    out[k] = '*';
                } else if (width == ESCAPE_WIDTH) {
                    out[k + 4] = '2';
                    out[k + 5] = 'a';
                }
                k += Math.max(width, 1);
            }
        });
        return out;
    }

    /** 1 for an ASCII digit, 6 for a JSON escape of one ({@code \u0030}..{@code \u0039}), else 0. */
    private static int digitWidth(byte[] b, int i) {
        if (DigitRuns.isDigit(b[i])) {
            return 1;
        }
        if (b[i] == '\\' && i + ESCAPE_WIDTH <= b.length && (b[i + 1] == 'u' || b[i + 1] == 'U')
                && b[i + 2] == '0' && b[i + 3] == '0' && b[i + 4] == '3' && DigitRuns.isDigit(b[i + 5])) {
            return ESCAPE_WIDTH;
        }
        return 0;
    }
}
