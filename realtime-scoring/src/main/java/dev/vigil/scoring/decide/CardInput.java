package dev.vigil.scoring.decide;

import dev.vigil.core.event.Authorization;

/**
 * What reaches a card's scoring operator, keyed by card token: an authorization to decide, a new
 * nightly profile (its JSON, decoded in the operator), or a watch from a detection pattern.
 * Exactly one of the three is set.
 */
public class CardInput {
    public String cardToken;
    public Authorization authorization;
    public long receivedAtMicros;
    public byte[] cardProfileJson;
    public Watch watch;

    public CardInput() {
    }

    public static CardInput of(Authorization a, long receivedAtMicros) {
        CardInput in = new CardInput();
        in.cardToken = a.cardToken();
        in.authorization = a;
        in.receivedAtMicros = receivedAtMicros;
        return in;
    }

    public static CardInput profile(String cardToken, byte[] json) {
        CardInput in = new CardInput();
        in.cardToken = cardToken;
        in.cardProfileJson = json;
        return in;
    }

    public static CardInput watch(Watch w) {
        CardInput in = new CardInput();
        in.cardToken = w.cardToken;
        in.watch = w;
        return in;
    }

    public String cardToken() {
        return cardToken;
    }
}
