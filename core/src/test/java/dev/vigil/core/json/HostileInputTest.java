package dev.vigil.core.json;

import dev.vigil.core.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever arrives, a codec answers with a reason, never throws, and never echoes card digits. */
class HostileInputTest {
    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("[0-9]{12,}");

    static List<Codecs<?>> codecs() {
        return Codecs.all();
    }

    private static void assertRejected(JsonCodec<?> codec, byte[] bytes) {
        Decoded<?> d = codec.decode(bytes);
        assertFalse(d.isOk(), () -> "accepted " + new String(bytes, StandardCharsets.UTF_8));
        assertNotNull(d.reason());
        assertFalse(LONG_DIGIT_RUN.matcher(d.reason()).find(), () -> "reason leaks digits: " + d.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void everyTruncationIsRejected(Codecs<?> c) {
        TestData.Random2 r = new TestData.Random2(3);
        for (int n = 0; n < 20; n++) {
            byte[] valid = c.randomValid(r);
            for (int len = 0; len < valid.length; len++) {
                byte[] prefix = java.util.Arrays.copyOf(valid, len);
                Decoded<?> d = c.codec().decode(prefix);
                // A prefix can only be valid if it is the whole object followed by nothing.
                assertFalse(d.isOk(), () -> "accepted a truncation: " + new String(prefix));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void randomBytesAndBitFlipsNeverThrow(Codecs<?> c) {
        Random rnd = new Random(5);
        TestData.Random2 r = new TestData.Random2(5);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[rnd.nextInt(300)];
                rnd.nextBytes(bytes);
            } else {
                bytes = c.randomValid(r);
                for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
                    bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            Decoded<?> d = c.codec().decode(bytes);
            assertTrue(d.isOk() || d.reason() != null);
            if (!d.isOk()) {
                assertFalse(LONG_DIGIT_RUN.matcher(d.reason()).find(), d.reason());
            }
        }
    }

    @Test
    void oversizedDeepAndWrongShapedInputsGetClearReasons() {
        AuthorizationCodec codec = AuthorizationCodec.INSTANCE;
        byte[] huge = ("{\"authorization_id\":\"" + "a".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertTrue(codec.decode(huge).reason().contains("too large"));
        assertRejected(codec, "[]".getBytes());
        assertRejected(codec, "null".getBytes());
        assertRejected(codec, "\"text\"".getBytes());
        assertRejected(codec, "{".repeat(5_000).getBytes());
        assertRejected(codec, new byte[0]);
        assertRejected(codec, null);
        assertRejected(codec, "{\"v\":1}{\"v\":1}".getBytes());
        assertRejected(codec, "{\"v\":NaN}".getBytes());
        assertRejected(codec, "{\"v\":1e999999}".getBytes());
        assertRejected(codec, "{\"v\":123456789012345678901234567890}".getBytes());
        assertEquals("authorization: missing field 'authorization_id'", codec.decode("{\"v\":1}".getBytes()).reason());
    }

    @Test
    void reasonsNeverEchoACardNumber() {
        String pan = "4111111111111111";
        AuthorizationCodec codec = AuthorizationCodec.INSTANCE;
        for (String doc : List.of(
                "{\"v\":1,\"card_token\":\"" + pan + "\"",
                "{\"" + pan + "\":1}",
                "{\"v\":" + pan + pan + pan + "}",
                "{\"v\":1,\"authorization_id\":" + pan + "x}",
                pan,
                "{\"bin\":\"" + pan + "\"}")) {
            assertRejected(codec, doc.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void duplicateAndUnknownFieldsAreRejected() {
        byte[] valid = AuthorizationCodec.INSTANCE.encode(TestData.auth("a-1", 0, 100));
        String json = new String(valid, StandardCharsets.UTF_8);
        String duplicated = json.replace("{\"v\":1,", "{\"v\":1,\"v\":1,");
        assertEquals("authorization: duplicate field 'v'",
                AuthorizationCodec.INSTANCE.decode(duplicated.getBytes()).reason());
        String unknown = json.replace("{\"v\":1,", "{\"v\":1,\"cvv\":\"123\",");
        assertEquals("authorization: unknown field 'cvv'", AuthorizationCodec.INSTANCE.decode(unknown.getBytes()).reason());
    }

    @Test
    void aCardNumberWhereATokenOrIdBelongsIsRefusedByEveryCodecThatReadsOne() {
        String pan = "4111111111111111";
        String json = new String(AuthorizationCodec.INSTANCE.encode(TestData.auth("a-1", 0, 100)), StandardCharsets.UTF_8);
        String token = AuthorizationCodec.INSTANCE.decode(json.getBytes(StandardCharsets.UTF_8)).value().cardToken();
        for (String field : List.of("card_token", "authorization_id", "merchant_id")) {
            String doc = json.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":\"" + pan + "\"");
            assertRejected(AuthorizationCodec.INSTANCE, doc.getBytes(StandardCharsets.UTF_8));
            assertEquals("authorization: '" + field + "' is a card number; a card number never belongs in it",
                    AuthorizationCodec.INSTANCE.decode(doc.getBytes(StandardCharsets.UTF_8)).reason());
        }
        String spaced = json.replaceFirst("\"merchant_id\":\"[^\"]*\"", "\"merchant_id\":\"4111 1111 1111 1111\"");
        assertRejected(AuthorizationCodec.INSTANCE, spaced.getBytes(StandardCharsets.UTF_8));
        for (Codecs<?> c : Codecs.all()) {
            String valid = new String(c.randomValid(new TestData.Random2(5)), StandardCharsets.UTF_8);
            if (valid.contains("\"card_token\":\"")) {
                String doc = valid.replaceFirst("\"card_token\":\"[^\"]*\"", "\"card_token\":\"" + pan + "\"");
                assertRejected(c.codec(), doc.getBytes(StandardCharsets.UTF_8));
                String kept = valid.replaceFirst("\"card_token\":\"[^\"]*\"", "\"card_token\":\"" + token + "\"");
                assertTrue(c.codec().decode(kept.getBytes(StandardCharsets.UTF_8)).isOk(), () -> c + " refused " + kept);
            }
        }
    }
}
