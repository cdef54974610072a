package dev.vigil.realtimescoring.decide;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardWatch;

/**
 * A message to one card's scoring operator, keyed by card token: an authorization to decide, a new
 * nightly profile (its JSON, decoded in the operator), or core's watch from a detection pattern.
 * Exactly one of the three is set.
 *
 * <p>Why one class with three nullable fields rather than a sealed interface: the keyed input of a
 * broadcast operator is one stream of one type, so the three sources are unioned; a flat public
 * class keeps Flink's POJO serializer on the keyBy, where an interface type would fall back to
 * Kryo; the operator tests which field is set.
 */
public class CardMessage {
    public String cardToken;
    public Authorization authorization;
    public long receivedAtMicros;
    public byte[] cardProfileJson;
    public CardWatch watch;

    public CardMessage() {
    }

    public static CardMessage of(Authorization a, long receivedAtMicros) {
        return of(a, a.cardToken(), receivedAtMicros);
    }

    /** {@code a}, keyed by {@code cardKey}: its token under the key the job's card state uses. */
    public static CardMessage of(Authorization a, String cardKey, long receivedAtMicros) {
        CardMessage in = new CardMessage();
        in.cardToken = cardKey;
        in.authorization = a;
        in.receivedAtMicros = receivedAtMicros;
        return in;
    }

    public static CardMessage profile(String cardToken, byte[] json) {
        CardMessage in = new CardMessage();
        in.cardToken = cardToken;
        in.cardProfileJson = json;
        return in;
    }

    public static CardMessage watch(CardWatch w) {
        CardMessage in = new CardMessage();
        in.cardToken = w.cardToken();
        in.watch = w;
        return in;
    }

    public String cardToken() {
        return cardToken;
    }
}
