package dev.vigil.core.token;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The ingress edge: turns a PAN (or a data set's opaque card id) into a {@link CardIdentity}.
 * Tokens are HMAC-SHA256 over a domain prefix and the digits, base64url without padding: the same
 * card and key always give the same token, and nobody without the key can go back.
 * Thread-safe; one {@link Mac} per thread.
 */
public final class PanTokenizer {
    private final TokenKey key;
    private final ThreadLocal<Mac> mac;
    private final TokenKey next;
    private final ThreadLocal<Mac> nextMac;

    public PanTokenizer(TokenKey key) {
        this(key, null);
    }

    /**
     * A tokenizer that, while a rotation is announced, also gives each card's token under the
     * {@code next} key (null: no rotation under way). The current key stays the key of record until
     * the switch, so every consumer keeps joining on the tokens it has; the lake learns each card's
     * next token from the pairs (decision 23).
     */
    public PanTokenizer(TokenKey key, TokenKey next) {
        this.key = key;
        this.mac = macFor(key);
        this.next = next;
        this.nextMac = next == null ? null : macFor(next);
    }

    /** The tokenizer the environment configures: {@link TokenKey#from} and {@link TokenKey#nextFrom}. */
    public static PanTokenizer fromEnvironment(java.util.Map<String, String> env) {
        TokenKey current = TokenKey.from(env);
        return new PanTokenizer(current, TokenKey.nextFrom(env, current).orElse(null));
    }

    private static ThreadLocal<Mac> macFor(TokenKey key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
            }
        });
    }

    /**
     * The shape of every card token: base64url of a 32-byte HMAC, without padding. Where a person
     * or a client names a card (API paths and filters), anything else is refused, so an all-digit PAN
     * typed there never reaches a query, a log or the audit trail as a "token".
     */
    public static final String TOKEN_SHAPE = "[A-Za-z0-9_-]{43}";
    private static final java.util.regex.Pattern TOKEN_SHAPE_PATTERN = java.util.regex.Pattern.compile(TOKEN_SHAPE);

    /** True when {@code s} has a card token's exact shape ({@link #TOKEN_SHAPE}). */
    public static boolean isTokenShaped(String s) {
        return s != null && TOKEN_SHAPE_PATTERN.matcher(s).matches();
    }

    public String keyId() {
        return key.id();
    }

    /** The announced next key's id, or null when no rotation is under way. */
    public String nextKeyId() {
        return next == null ? null : next.id();
    }

    /**
     * Tokenizes a PAN after a Luhn check. Spaces and dashes between digits are allowed.
     *
     * @return the identity, or null when the input is not a valid PAN (see {@link #whyInvalid})
     */
    public CardIdentity tokenizePan(String pan) {
        if (whyInvalid(pan) != null) {
            return null;
        }
        String digits = digitsOf(pan);
        String bin = digits.length() >= 15 ? digits.substring(0, 6) : null;
        return new CardIdentity(token(mac, "pan:", digits), key.id(), bin, digits.substring(digits.length() - 4),
                digits.length(), next == null ? null : token(nextMac, "pan:", digits), nextKeyId());
    }

    /** Why {@code pan} would be refused, or null when it is a valid PAN. Never echoes the digits. */
    public static String whyInvalid(String pan) {
        String digits = digitsOf(pan);
        if (digits == null) {
            return "card number has characters other than digits, spaces and dashes";
        }
        if (digits.length() < 12 || digits.length() > 19) {
            return "card number must have 12 to 19 digits, has " + digits.length();
        }
        if (!Luhn.valid(digits)) {
            return "card number fails the Luhn check";
        }
        return null;
    }

    /** Tokenizes a card id that a data set already pseudonymized: no Luhn check, no digits kept. */
    public CardIdentity tokenizeOpaque(String cardId) {
        if (cardId == null || cardId.isBlank() || cardId.length() > 256) {
            return null;
        }
        String id = cardId.trim();
        return new CardIdentity(token(mac, "id:", id), key.id(), null, null, 0,
                next == null ? null : token(nextMac, "id:", id), nextKeyId());
    }

    private static String token(ThreadLocal<Mac> mac, String domain, String value) {
        byte[] digest = mac.get().doFinal((domain + value).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** The digits of {@code pan} without its spaces and dashes, or null when it has other characters. */
    private static String digitsOf(String pan) {
        if (pan == null || pan.length() > 64) {
            return null;
        }
        StringBuilder b = new StringBuilder(pan.length());
        for (int i = 0; i < pan.length(); i++) {
            char c = pan.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            } else if (c != ' ' && c != '-') {
                return null;
            }
        }
        return b.toString();
    }
}
