package dev.vigil.core.token;

/** The only way a card is shown to a person. */
public final class CardDisplay {
    private CardDisplay() {
    }

    /**
     * {@code 411111******1111} for PANs of 15+ digits (BIN of up to 8 digits from 16 digits on), {@code ********1111} below 15 digits, and a
     * token prefix for opaque card ids (which have no digits to show).
     */
    public static String of(String bin, String last4, int panLength, String token) {
        if (last4 == null || panLength == 0) {
            return "card " + (token == null ? "?" : token.substring(0, Math.min(8, token.length())));
        }
        if (panLength >= 15 && bin != null) {
            // An 8-digit BIN may show beside the last four only on PANs of 16 or more digits (PCI DSS
            // 3.4.1); a shorter PAN shows at most six, or 12 of its 15 digits would be in clear.
            String shown = panLength < 16 && bin.length() > 6 ? bin.substring(0, 6) : bin;
            return shown + "*".repeat(panLength - shown.length() - 4) + last4;
        }
        return "*".repeat(Math.max(4, panLength - 4)) + last4;
    }
}
