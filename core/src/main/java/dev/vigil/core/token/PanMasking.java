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
    /** Separator characters allowed in a row between two digits of one run. */
    static final int MAX_SEPARATORS = 2;
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
        int i = 0;
        while (i < out.length) {
            if (digitWidth(out, i) == 0) {
                i++;
                continue;
            }
            int start = i, end = i, digits = 0;
            int j = i;
            while (j < out.length) {
                int width = digitWidth(out, j);
                if (width > 0) {
                    digits++;
                    j += width;
                    end = j;
                    continue;
                }
                int separators = 0;
                while (j + separators < out.length && separators < MAX_SEPARATORS && isSeparator(out[j + separators])) {
                    separators++;
                }
                if (separators > 0 && j + separators < out.length && digitWidth(out, j + separators) > 0) {
                    j += separators;
                } else {
                    break;
                }
            }
            if (digits >= MIN_RUN) {
                for (int k = start; k < end; ) {
                    int width = digitWidth(out, k);
                    if (width == 1) {
                        out[k] = '*';
                    } else if (width == ESCAPE_WIDTH) {
                        out[k + 4] = '2';
                        out[k + 5] = 'a';
                    }
                    k += Math.max(width, 1);
                }
            }
            i = Math.max(end, i + 1);
        }
        return out;
    }

    /** 1 for an ASCII digit, 6 for a JSON escape of one ({@code \u0030}..{@code \u0039}), else 0. */
    private static int digitWidth(byte[] b, int i) {
        if (isDigit(b[i])) {
            return 1;
        }
        if (b[i] == '\\' && i + ESCAPE_WIDTH <= b.length && (b[i + 1] == 'u' || b[i + 1] == 'U')
                && b[i + 2] == '0' && b[i + 3] == '0' && b[i + 4] == '3' && isDigit(b[i + 5])) {
            return ESCAPE_WIDTH;
        }
        return 0;
    }

    private static boolean isSeparator(byte b) {
        return b == ' ' || b == '-' || b == '.';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
