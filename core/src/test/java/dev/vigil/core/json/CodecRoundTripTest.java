package dev.vigil.core.json;

import dev.vigil.core.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecRoundTripTest {

    static List<Codecs<?>> codecs() {
        return Codecs.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    <T> void everyValidRecordSurvivesEncodeAndDecode(Codecs<T> c) {
        TestData.Random2 r = new TestData.Random2(7);
        for (int i = 0; i < 2_000; i++) {
            T value = c.valid().apply(r);
            byte[] bytes = c.codec().encode(value);
            Decoded<T> decoded = c.codec().decode(bytes);
            assertTrue(decoded.isOk(), () -> "rejected " + new String(bytes) + ": " + decoded.reason());
            assertEquals(value, decoded.value());
            assertArrayEquals(bytes, c.codec().encode(decoded.value()), "encoding is canonical");
        }
    }
}
