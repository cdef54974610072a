package dev.vigil.core.token;

/**
 * Runs of digits written the ways people write card numbers: digits with up to two spaces, dashes
 * or dots between them ({@code 4111 1111-1111.1111}). One walker for {@link PanMasking} (bytes,
 * where a JSON escape also counts as a digit) and {@link PanScanner} (text), so both see the same runs.
 */
final class DigitRuns {
    /** Separator characters allowed in a row between two digits of one run. */
    static final int MAX_SEPARATORS = 2;

    /** What the walker reads: how wide the digit at {@code i} is (0: none there), and the separators. */
    interface Text {
        int length();

        int digitWidth(int i);

        boolean isSeparator(int i);
    }

    /** One run: [from, to) in the text, with how many digits it holds. */
    interface Run {
        void found(int from, int to, int digits);
    }

    private DigitRuns() {
    }

    static void forEach(Text text, Run run) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (text.digitWidth(i) == 0) {
                i++;
                continue;
            }
            int end = i, digits = 0, j = i;
            while (j < n) {
                int width = text.digitWidth(j);
                if (width > 0) {
                    digits++;
                    j += width;
                    end = j;
                    continue;
                }
                int separators = 0;
                while (j + separators < n && separators < MAX_SEPARATORS && text.isSeparator(j + separators)) {
                    separators++;
                }
                if (separators > 0 && j + separators < n && text.digitWidth(j + separators) > 0) {
                    j += separators;
                } else {
                    break;
                }
            }
            run.found(i, end, digits);
            i = Math.max(end, i + 1);
        }
    }

    static boolean isSeparator(int c) {
        return c == ' ' || c == '-' || c == '.';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
