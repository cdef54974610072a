package dev.vigil.core.json;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one object schema, with required ones tracked in a bit mask so that duplicate,
 * unknown and missing fields are all caught in one pass without allocation.
 */
final class FieldSet {
    private final String[] names;
    private final Map<String, Integer> index = new HashMap<>();
    private final long required;

    /** Field names; a trailing {@code ?} marks an optional field (may be absent or null). */
    FieldSet(String... specs) {
        if (specs.length > 64) {
            throw new IllegalArgumentException("at most 64 fields");
        }
        names = new String[specs.length];
        long req = 0;
        for (int i = 0; i < specs.length; i++) {
            boolean optional = specs[i].endsWith("?");
            names[i] = optional ? specs[i].substring(0, specs[i].length() - 1) : specs[i];
            index.put(names[i], i);
            if (!optional) {
                req |= 1L << i;
            }
        }
        required = req;
    }

    /** The field's index, rejecting unknown names. */
    int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new Reject("unknown field '" + Fields.printable(name) + "'");
        }
        return i;
    }

    /** Marks a field as seen, rejecting a second occurrence. */
    long mark(long seen, int i) {
        long bit = 1L << i;
        if ((seen & bit) != 0) {
            throw new Reject("duplicate field '" + names[i] + "'");
        }
        return seen | bit;
    }

    void requireAll(long seen) {
        long missing = required & ~seen;
        if (missing != 0) {
            throw new Reject("missing field '" + names[Long.numberOfTrailingZeros(missing)] + "'");
        }
    }
}
