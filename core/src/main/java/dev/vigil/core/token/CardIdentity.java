package dev.vigil.core.token;

/**
 * What survives the ingress edge of a card number: the keyed token and, for real PANs, the BIN
 * and last four. {@code bin} is kept only for PANs of 15 digits or more: on shorter PANs BIN plus
 * last four would leave too few digits hidden. While a new key is announced, {@code nextToken} is the
 * same card's token under it ({@code nextKeyId}); otherwise both are null.
 */
public record CardIdentity(String token, String keyId, String bin, String last4, int panLength,
                           String nextToken, String nextKeyId) {

    public CardIdentity(String token, String keyId, String bin, String last4, int panLength) {
        this(token, keyId, bin, last4, panLength, null, null);
    }

    /** How the card may be shown to a person: BIN + last four at most, last four only below 15 digits. */
    public String display() {
        return CardDisplay.of(bin, last4, panLength, token);
    }
}
