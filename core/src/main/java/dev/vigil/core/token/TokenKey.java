package dev.vigil.core.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The secret that turns a PAN into a card token, with its id (tokens carry the id so keys can
 * rotate). It fails closed: a process that tokenizes needs a real key, read from a file
 * ({@code VIGIL_TOKEN_KEY_FILE}, not readable by others, as a mounted secret is) or from the
 * environment ({@code VIGIL_TOKEN_KEY}), base64 of at least 32 bytes, with {@code VIGIL_TOKEN_KEY_ID}.
 * The published development key is used only when asked for by name, {@code VIGIL_MODE=development},
 * which {@code ./vigil}'s local commands set and say: with it, BIN + last four + token give a PAN
 * back in at most 10^5 HMACs, so it is for synthetic data only.
 */
public final class TokenKey {
    public static final String DEV_KEY_ID = "dev";
    /** What a key id may be: it is written beside every token, and named on command lines. */
    public static final String ID_SHAPE = "[A-Za-z0-9._-]{1,32}";
    private static final byte[] DEV_SECRET =
            "vigil-development-key--never-use-in-production".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final byte[] secret;

    public TokenKey(String id, byte[] secret) {
        this.id = Objects.requireNonNull(id);
        if (!isKeyId(id)) {
            throw new IllegalArgumentException("token key id must match " + ID_SHAPE);
        }
        if (secret.length < 32) {
            throw new IllegalArgumentException("token key must have at least 32 bytes, has " + secret.length);
        }
        this.secret = secret.clone();
    }

    /** True when {@code id} has a key id's shape ({@link #ID_SHAPE}). */
    public static boolean isKeyId(String id) {
        return id != null && id.matches(ID_SHAPE);
    }

    public static TokenKey development() {
        return new TokenKey(DEV_KEY_ID, DEV_SECRET);
    }

    public static TokenKey fromEnvironment() {
        return from(System.getenv());
    }

    /** The key configured in {@code env}; see the class comment for the rules. */
    public static TokenKey from(Map<String, String> env) {
        String mode = env.getOrDefault("VIGIL_MODE", "");
        String key = secretText(env, "VIGIL_TOKEN_KEY");
        if (key == null || key.isBlank()) {
            if ("development".equalsIgnoreCase(mode)) {
                return development();
            }
            throw new IllegalStateException("no tokenization key: set VIGIL_TOKEN_KEY_FILE (a file not readable by "
                    + "others) or VIGIL_TOKEN_KEY, base64 of at least 32 bytes, and VIGIL_TOKEN_KEY_ID. "
                    + "For synthetic data on a laptop only, VIGIL_MODE=development uses the published development key.");
        }
        TokenKey configured = parse(env, "VIGIL_TOKEN_KEY", key);
        if (Arrays.equals(configured.secret, DEV_SECRET) && !"development".equalsIgnoreCase(mode)) {
            throw new IllegalStateException("the configured tokenization key is the published development key");
        }
        return configured;
    }

    /**
     * The announced next key, when a rotation is under way: {@code VIGIL_TOKEN_NEXT_KEY_FILE} or
     * {@code VIGIL_TOKEN_NEXT_KEY}, with {@code VIGIL_TOKEN_NEXT_KEY_ID}, by the same rules as the
     * current key. It must differ from {@code current} in id and secret; neither it nor the current
     * key may be the development key: a rotation is rehearsed with two keys of its own.
     */
    public static Optional<TokenKey> nextFrom(Map<String, String> env, TokenKey current) {
        String key = secretText(env, "VIGIL_TOKEN_NEXT_KEY");
        if (key == null || key.isBlank()) {
            if (env.get("VIGIL_TOKEN_NEXT_KEY_ID") != null && !env.get("VIGIL_TOKEN_NEXT_KEY_ID").isBlank()) {
                throw new IllegalStateException("VIGIL_TOKEN_NEXT_KEY_ID is set but no next key: set "
                        + "VIGIL_TOKEN_NEXT_KEY_FILE or VIGIL_TOKEN_NEXT_KEY");
            }
            return Optional.empty();
        }
        TokenKey next = parse(env, "VIGIL_TOKEN_NEXT_KEY", key);
        if (Arrays.equals(next.secret, DEV_SECRET) || DEV_KEY_ID.equals(next.id)) {
            throw new IllegalStateException("the next tokenization key is the published development key, or named as it");
        }
        if (current.isDevelopment()) {
            // Announcing a real key beside tokens anyone can reverse would link each card's new token to them.
            throw new IllegalStateException("a next key is announced beside the development key: rotate from a real key");
        }
        if (next.id.equals(current.id) || Arrays.equals(next.secret, current.secret)) {
            throw new IllegalStateException("the next tokenization key must differ from the current one in id and "
                    + "secret (both are " + (next.id.equals(current.id) ? "'" + next.id + "'" : "the same secret") + ")");
        }
        return Optional.of(next);
    }

    /** The text of {@code <name>_FILE} (owner-only) when set, else of {@code <name>}. */
    private static String secretText(Map<String, String> env, String name) {
        String file = env.get(name + "_FILE");
        return file == null || file.isBlank() ? env.get(name) : readOwnerOnly(name + "_FILE", Path.of(file));
    }

    private static TokenKey parse(Map<String, String> env, String name, String base64) {
        String id = env.get(name + "_ID");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("a tokenization key is set but " + name + "_ID is not");
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not valid base64");
        }
        return new TokenKey(id.trim(), secret);
    }

    /** The key file's text; refused when others may read it or its group may change it (0400, 0440, 0600 pass). */
    private static String readOwnerOnly(String variable, Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                for (PosixFilePermission p : perms) {
                    if (p.name().startsWith("OTHERS") || p == PosixFilePermission.GROUP_WRITE) {
                        throw new IllegalStateException(variable + " " + file + " may be read or changed "
                                + "by others (" + PosixFilePermissions.toString(perms) + "): make it 0400, 0440 or 0600");
                    }
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(variable + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    public String id() {
        return id;
    }

    public boolean isDevelopment() {
        return DEV_KEY_ID.equals(id) && Arrays.equals(secret, DEV_SECRET);
    }

    byte[] secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "TokenKey[" + id + "]";
    }
}
