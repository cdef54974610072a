package dev.vigil.core.token;

/** The Luhn (mod 10) check digit of card numbers. */
public final class Luhn {
    private Luhn() {
    }

    /** True when {@code digits} is all digits and its Luhn sum is a multiple of 10. */
    public static boolean valid(CharSequence digits) {
        int sum = 0;
        int n = digits.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = digits.charAt(n - 1 - i);
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if ((i & 1) == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** The check digit that makes {@code payload + digit} valid. */
    public static char checkDigit(CharSequence payload) {
        int sum = 0;
        int n = payload.length();
        for (int i = 0; i < n; i++) {
            int d = payload.charAt(n - 1 - i) - '0';
            if ((i & 1) == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }
}
