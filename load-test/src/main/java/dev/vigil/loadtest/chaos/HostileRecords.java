package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Records no ingress should ever send, in five kinds, taken in turn: malformed JSON, a valid
 * authorization cut short, one padded past the codec's size limit, one whose fields have the wrong
 * types, and random bytes. Each is built from a real authorization of the traffic it is mixed into,
 * so it looks like what a broken upstream would produce, not like noise the parser rejects by luck.
 */
public final class HostileRecords implements Iterator<byte[]> {
    public enum Kind { MALFORMED, TRUNCATED, OVERSIZED, WRONG_TYPED, RANDOM_BYTES }

    private final SplittableRandom random;
    private final Supplier<Authorization> templates;
    private long made;

    /** @param templates valid authorizations to deform (the live traffic's own) */
    public HostileRecords(long seed, Supplier<Authorization> templates) {
        this.random = new SplittableRandom(seed);
        this.templates = templates;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    public Kind nextKind() {
        return Kind.values()[(int) (made % Kind.values().length)];
    }

    @Override
    public byte[] next() {
        Kind kind = nextKind();
        made++;
        String valid = new String(AuthorizationCodec.INSTANCE.encode(templates.get()), StandardCharsets.UTF_8);
        return switch (kind) {
            case MALFORMED -> malformed(valid);
            case TRUNCATED -> valid.substring(0, 1 + random.nextInt(valid.length() - 2)).getBytes(StandardCharsets.UTF_8);
            case OVERSIZED -> oversized(valid);
            case WRONG_TYPED -> wrongTyped(valid);
            case RANDOM_BYTES -> randomBytes();
        };
    }

    /** Broken syntax somewhere in the record: a dropped colon or brace, a trailing comma, an extra brace. */
    private byte[] malformed(String valid) {
        String broken = switch (random.nextInt(4)) {
            case 0 -> valid.replaceFirst("\":", "\"");
            case 1 -> valid.substring(0, valid.length() - 1) + ",}";
            case 2 -> valid.replace("}", "");
            default -> "{" + valid;
        };
        return broken.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid record padded with an extra field until it is past the codec's limit. */
    private byte[] oversized(String valid) {
        int limit = AuthorizationCodec.INSTANCE.maxBytes();
        String pad = "x".repeat(limit + 1 + random.nextInt(limit));
        return (valid.substring(0, valid.length() - 1) + ",\"padding\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A field of the contract given a value of another type (the rest of the record is valid). */
    private byte[] wrongTyped(String valid) {
        String[][] swaps = {
                {"\"amount_minor\":-?\\d+", "\"amount_minor\":\"lots\""},
                {"\"event_time_ms\":-?\\d+", "\"event_time_ms\":{\"when\":\"now\"}"},
                {"\"card_token\":\"[^\"]*\"", "\"card_token\":12345"},
                {"\"card_seq\":-?\\d+", "\"card_seq\":[1,2]"},
        };
        String[] s = swaps[random.nextInt(swaps.length)];
        return valid.replaceFirst(s[0], s[1]).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[1 + random.nextInt(600)];
        random.nextBytes(b);
        return b;
    }
}
