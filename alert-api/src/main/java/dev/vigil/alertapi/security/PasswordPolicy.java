package dev.vigil.alertapi.security;

import java.util.Locale;

/**
 * What a password must be (PCI DSS 8.3.6): 12 to 128 characters with both letters and digits, and
 * not containing the user's own name. Length is what makes a password strong; the mix only rules
 * out the all-letter phrases people reach for first.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /** Why {@code password} is refused for {@code username}, or null when it is acceptable. */
    public static String problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return "password must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        if (password.chars().noneMatch(Character::isLetter) || password.chars().noneMatch(Character::isDigit)) {
            return "password must contain both letters and digits";
        }
        if (username != null && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            return "password must not contain the user name";
        }
        return null;
    }
}
