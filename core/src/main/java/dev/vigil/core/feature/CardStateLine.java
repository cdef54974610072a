package dev.vigil.core.feature;

import java.util.Base64;

/**
 * One card's folded state as the state bootstrap hands it from the lake (Spark) to the savepoint
 * writer (Flink): a text line {@code card_token TAB base64(CardStateCodec)}. Defined once here, as
 * both engines read and write it; text, so the Flink side needs no Spark or Parquet library.
 */
public record CardStateLine(String cardToken, CardState state) {

    public String encode() {
        return cardToken + "\t" + Base64.getEncoder().encodeToString(CardStateCodec.encode(state));
    }

    /** The line's card token alone (the bootstrap keys by it before decoding the state). */
    public static String cardToken(String line) {
        int tab = line.indexOf('\t');
        if (tab <= 0) {
            // The length only: a malformed line is never echoed into a log.
            throw new IllegalArgumentException("a card state line is 'token TAB base64', got " + line.length()
                    + " chars without a tab");
        }
        return line.substring(0, tab);
    }

    public static CardStateLine decode(String line) {
        String token = cardToken(line);
        return new CardStateLine(token, CardStateCodec.decode(Base64.getDecoder().decode(line.substring(token.length() + 1))));
    }
}
