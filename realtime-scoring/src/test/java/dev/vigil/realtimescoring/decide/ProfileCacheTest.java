package dev.vigil.realtimescoring.decide;

import dev.vigil.core.TestData;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.json.CardProfileCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ProfileCacheTest {
    private final TestData.Random2 random = new TestData.Random2(11);

    @Test
    void theSameBytesDecodeOnceAndDifferentBytesDecodeAnew() {
        ProfileCache cache = new ProfileCache(4);
        CardProfile a = random.cardProfile();
        CardProfile b = random.cardProfile();
        byte[] aJson = CardProfileCodec.INSTANCE.encode(a);
        CardProfile first = cache.get(aJson);
        assertEquals(a, first);
        assertSame(first, cache.get(aJson.clone()), "equal bytes (a fresh copy, as after RocksDB) hit the cache");
        CardProfile other = cache.get(CardProfileCodec.INSTANCE.encode(b));
        assertEquals(b, other);
        assertNotEquals(first, other);
    }

    @Test
    void evictsTheLeastRecentlyUsedAndRefusesBytesThatDoNotDecode() {
        ProfileCache cache = new ProfileCache(2);
        byte[] a = CardProfileCodec.INSTANCE.encode(random.cardProfile());
        byte[] b = CardProfileCodec.INSTANCE.encode(random.cardProfile());
        byte[] c = CardProfileCodec.INSTANCE.encode(random.cardProfile());
        CardProfile pa = cache.get(a);
        cache.get(b);
        cache.get(c);  // a is evicted
        assertEquals(pa, cache.get(a));
        assertNull(cache.get("{not a profile".getBytes(StandardCharsets.UTF_8)));
    }
}
