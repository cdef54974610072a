package dev.vigil.testkit.world;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;

/** The tokenizer a command-line tool makes card tokens with, saying out loud which key it is. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /** From VIGIL_TOKEN_KEY_FILE / _ID (or the development key in VIGIL_MODE=development), with notes on stderr. */
    public static PanTokenizer fromEnvironment() {
        PanTokenizer tokenizer = PanTokenizer.fromEnvironment(System.getenv());
        if (TokenKey.DEV_KEY_ID.equals(tokenizer.keyId())) {
            System.err.println("note: VIGIL_MODE=development: tokenizing with the published development key, for "
                    + "synthetic data only (set VIGIL_TOKEN_KEY_FILE and VIGIL_TOKEN_KEY_ID for real card data)");
        }
        if (tokenizer.nextKeyId() != null) {
            System.err.println("note: key '" + tokenizer.nextKeyId() + "' is announced: every record also carries "
                    + "its card's token under it (docs/tokenization-key.md)");
        }
        return tokenizer;
    }
}
