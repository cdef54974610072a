package dev.vigil.core.token;

/** The only way a card is shown to a person. */
public final class CardDisplay {
    private CardDisplay() {
    }

    /**
     * {@code 411111******1111} for PANs of 15+ digits, {@code ********1111} below 15 digits, and a
     * token prefix for opaque card ids (which have no digits to show).
     */
    public static String of(String bin, String last4, int panLength, String token) {
        if (last4 == null || panLength == 0) {
            return "card " + (token == null ? "?" : token.substring(0, Math.min(8, token.length())));
        }
        if (panLength >= 15 && bin != null) {
            return bin + "*".repeat(panLength - bin.length() - 4) + last4;
        }
        return "*".repeat(Math.max(4, panLength - 4)) + last4;
    }
}
