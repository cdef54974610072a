package dev.vigil.core.token;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The secret that turns a PAN into a card token, with its id (tokens carry the id so keys can
 * rotate). Configuration: {@code VIGIL_TOKEN_KEY} (base64, at least 32 bytes) and
 * {@code VIGIL_TOKEN_KEY_ID}. Outside production mode ({@code VIGIL_MODE=production}) a missing
 * key falls back to a published development key, loudly; in production it is an error.
 */
public final class TokenKey {
    public static final String DEV_KEY_ID = "dev";
    private static final byte[] DEV_SECRET =
            "vigil-development-key--never-use-in-production".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final byte[] secret;

    public TokenKey(String id, byte[] secret) {
        this.id = Objects.requireNonNull(id);
        if (!id.matches("[A-Za-z0-9._-]{1,32}")) {
            throw new IllegalArgumentException("token key id must match [A-Za-z0-9._-]{1,32}");
        }
        if (secret.length < 32) {
            throw new IllegalArgumentException("token key must have at least 32 bytes, has " + secret.length);
        }
        this.secret = secret.clone();
    }

    public static TokenKey development() {
        return new TokenKey(DEV_KEY_ID, DEV_SECRET);
    }

    public static TokenKey fromEnvironment() {
        return from(System.getenv());
    }

    /** The key configured in {@code env}; see the class comment for the rules. */
    public static TokenKey from(Map<String, String> env) {
        String key = env.get("VIGIL_TOKEN_KEY");
        String id = env.get("VIGIL_TOKEN_KEY_ID");
        boolean production = "production".equalsIgnoreCase(env.getOrDefault("VIGIL_MODE", ""));
        if (key == null || key.isBlank()) {
            if (production) {
                throw new IllegalStateException(
                        "VIGIL_MODE=production needs VIGIL_TOKEN_KEY (base64, >= 32 bytes) and VIGIL_TOKEN_KEY_ID");
            }
            return development();
        }
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("VIGIL_TOKEN_KEY is set but VIGIL_TOKEN_KEY_ID is not");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("VIGIL_TOKEN_KEY is not valid base64");
        }
        return new TokenKey(id.trim(), secret);
    }

    public String id() {
        return id;
    }

    public boolean isDevelopment() {
        return DEV_KEY_ID.equals(id) && java.util.Arrays.equals(secret, DEV_SECRET);
    }

    byte[] secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "TokenKey[" + id + "]";
    }
}
