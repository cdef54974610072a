package dev.vigil.realtimescoring.decide;

import dev.vigil.core.event.CardProfile;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.Decoded;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded card profiles by content: the card record keeps profiles as their JSON (what its state
 * serializer writes), and every authorization used to parse the chosen one again. TopicRecord by the bytes'
 * hash and checked byte for byte, so a re-published version with other content is decoded anew.
 * Least recently used entries go first. One per operator subtask: not thread-safe.
 */
final class ProfileCache {
    private record Entry(byte[] json, CardProfile profile) {
    }

    private final Map<Integer, Entry> entries;

    ProfileCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The profile the JSON holds, or null when it no longer decodes (it did when it was stored). */
    CardProfile get(byte[] json) {
        int key = Arrays.hashCode(json);
        Entry e = entries.get(key);
        if (e != null && Arrays.equals(e.json(), json)) {
            return e.profile();
        }
        Decoded<CardProfile> d = CardProfileCodec.INSTANCE.decode(json);
        if (!d.isOk()) {
            return null;
        }
        entries.put(key, new Entry(json, d.value()));
        return d.value();
    }
}
