package dev.vigil.core.token;

import java.nio.charset.StandardCharsets;

/**
 * Masks every run of 12 or more digits (digits may be separated by single spaces or dashes, as
 * PANs are often written) so that bytes kept for diagnosis never carry a card number.
 */
public final class PanMasking {
    public static final int MIN_RUN = 12;

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
            if (!isDigit(out[i])) {
                i++;
                continue;
            }
            int start = i, end = i, digits = 0;
            int j = i;
            while (j < out.length) {
                if (isDigit(out[j])) {
                    digits++;
                    end = j;
                    j++;
                } else if ((out[j] == ' ' || out[j] == '-') && j + 1 < out.length && isDigit(out[j + 1])) {
                    j++;
                } else {
                    break;
                }
            }
            if (digits >= MIN_RUN) {
                for (int k = start; k <= end; k++) {
                    if (isDigit(out[k])) {
                        out[k] = '*';
                    }
                }
            }
            i = end + 1;
        }
        return out;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
