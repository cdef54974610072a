package dev.vigil.alertapi.alert;

import dev.vigil.alertapi.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A position in a newest-first listing: the last row's time and id, opaque to callers. Keyset
 * paging stays exact while new alerts arrive and costs the same on page 1 and page 10,000.
 */
public record Cursor(long atMs, String id) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((atMs + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor from a request; a malformed one is a 400, never an exception deeper down. */
    public static Cursor decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.length() > 256) {
                throw new IllegalArgumentException();
            }
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            long at = Long.parseLong(raw.substring(0, bar));
            String id = raw.substring(bar + 1);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException();
            }
            return new Cursor(at, id);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor is not one this service issued");
        }
    }
}
