package dev.vigil.core.token;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.event.Alert;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PanHandlingTest {
    private static final String PAN = "4111111111111111";
    private final PanTokenizer tokenizer = new PanTokenizer(TokenKey.development());

    @Test
    void luhnAcceptsValidAndRejectsInvalidNumbers() {
        assertTrue(Luhn.valid(PAN));
        assertTrue(Luhn.valid("4132901620478760"));
        assertFalse(Luhn.valid("4111111111111112"));
        assertFalse(Luhn.valid("41111111111a1111"));
        assertFalse(Luhn.valid(""));
        assertEquals('1', Luhn.checkDigit("411111111111111"));
    }

    @Test
    void tokensAreDeterministicKeyedAndCarryTheKeyId() {
        CardIdentity a = tokenizer.tokenizePan(PAN);
        CardIdentity b = tokenizer.tokenizePan("4111 1111 1111 1111");
        assertEquals(a, b);
        assertEquals("dev", a.keyId());
        assertEquals("411111", a.bin());
        assertEquals("1111", a.last4());
        assertEquals(43, a.token().length());
        TokenKey other = new TokenKey("k2", new byte[32]);
        assertNotEquals(a.token(), new PanTokenizer(other).tokenizePan(PAN).token());
        assertNotEquals(a.token(), tokenizer.tokenizeOpaque(PAN).token(), "PANs and opaque ids never collide");
    }

    @Test
    void shortPansKeepOnlyTheLastFourAndDisplayAccordingly() {
        String payload = "42268171516";
        CardIdentity id = tokenizer.tokenizePan(payload + Luhn.checkDigit(payload));
        assertNull(id.bin());
        assertEquals("********" + id.last4(), id.display());
        assertEquals("411111******1111", tokenizer.tokenizePan(PAN).display());
        assertTrue(tokenizer.tokenizeOpaque("C123").display().startsWith("card "));
    }

    @Test
    void invalidPansAreRefusedWithAReasonThatDoesNotEchoThem() {
        assertNull(tokenizer.tokenizePan("4111111111111112"));
        assertEquals("card number fails the Luhn check", PanTokenizer.whyInvalid("4111111111111112"));
        assertTrue(PanTokenizer.whyInvalid("12345").contains("12 to 19 digits"));
        assertTrue(PanTokenizer.whyInvalid("4111x1111").contains("characters"));
        assertTrue(PanTokenizer.whyInvalid("41111111111111111111111").contains("12 to 19 digits"));
    }

    @Test
    void theKeyFailsClosedTheDevelopmentKeyOnlyWhenAskedForByName() {
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of()));
        assertTrue(none.getMessage().contains("VIGIL_MODE=development"), none.getMessage());
        assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of("VIGIL_MODE", "production")));
        assertTrue(TokenKey.from(Map.of("VIGIL_MODE", "development")).isDevelopment());
        String secret = Base64.getEncoder().encodeToString(new byte[48]);
        TokenKey k = TokenKey.from(Map.of("VIGIL_TOKEN_KEY", secret, "VIGIL_TOKEN_KEY_ID", "2026-11"));
        assertEquals("2026-11", k.id());
        assertFalse(k.isDevelopment());
        assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of("VIGIL_TOKEN_KEY", secret)));
        assertThrows(IllegalArgumentException.class, () -> new TokenKey("k", new byte[8]));
        String published = Base64.getEncoder().encodeToString(
                "vigil-development-key--never-use-in-production".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of("VIGIL_TOKEN_KEY", published,
                "VIGIL_TOKEN_KEY_ID", "prod")), "the published key under another name");
    }

    @Test
    void anAnnouncedNextKeyGivesEveryCardItsTokenUnderItToo() {
        byte[] oldSecret = new byte[40], newSecret = new byte[40];
        java.util.Arrays.fill(newSecret, (byte) 7);
        String oldKey = Base64.getEncoder().encodeToString(oldSecret), newKey = Base64.getEncoder().encodeToString(newSecret);
        Map<String, String> env = Map.of("VIGIL_TOKEN_KEY", oldKey, "VIGIL_TOKEN_KEY_ID", "2026-01",
                "VIGIL_TOKEN_NEXT_KEY", newKey, "VIGIL_TOKEN_NEXT_KEY_ID", "2027-01");
        PanTokenizer announcing = PanTokenizer.fromEnvironment(env);
        PanTokenizer before = new PanTokenizer(new TokenKey("2026-01", oldSecret));
        PanTokenizer after = new PanTokenizer(new TokenKey("2027-01", newSecret));

        CardIdentity card = announcing.tokenizePan(PAN);
        assertEquals(before.tokenizePan(PAN).token(), card.token(), "the current key stays the key of record");
        assertEquals("2026-01", card.keyId());
        assertEquals(after.tokenizePan(PAN).token(), card.nextToken(), "the token the card will have after the switch");
        assertEquals("2027-01", card.nextKeyId());
        assertEquals(after.tokenizeOpaque("card-9").token(), announcing.tokenizeOpaque("card-9").nextToken());
        assertNull(before.tokenizePan(PAN).nextToken(), "no rotation, no second token");
        assertTrue(PanTokenizer.isTokenShaped(card.nextToken()));

        // The pair travels with the authorization, and a job keyed by the next key finds the card by it.
        Authorization a = TestData.auth("a-1", 0, 100);
        Authorization paired = new Authorization(a.authorizationId(), card.token(), card.keyId(), a.bin(), a.last4(),
                a.panLength(), a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(),
                a.mcc(), a.merchantCountry(), a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(),
                a.entryMode(), a.hostDecline(), a.eventTimeMs(), a.cardSeq(), card.nextToken(), card.nextKeyId());
        assertEquals(paired, AuthorizationCodec.INSTANCE.decode(AuthorizationCodec.INSTANCE.encode(paired)).value());
        assertEquals(card.nextToken(), paired.tokenUnder("2027-01"));
        assertEquals(card.token(), paired.tokenUnder("2026-01"));
        assertEquals(card.token(), paired.tokenUnder(null));
        String json = new String(AuthorizationCodec.INSTANCE.encode(paired), StandardCharsets.UTF_8);
        assertTrue(AuthorizationCodec.INSTANCE.decode(json.replace(",\"next_token_key_id\":\"2027-01\"", "")
                .getBytes(StandardCharsets.UTF_8)).reason().contains("come together"));
        assertTrue(AuthorizationCodec.INSTANCE.decode(json.replace("\"next_token_key_id\":\"2027-01\"",
                "\"next_token_key_id\":\"2026-01\"").getBytes(StandardCharsets.UTF_8)).reason().contains("another key"));
        assertTrue(AuthorizationCodec.INSTANCE.decode(json.replace(card.nextToken(), card.token())
                .getBytes(StandardCharsets.UTF_8)).reason().contains("another key and token"));
        assertTrue(AuthorizationCodec.INSTANCE.decode(json.replace(card.nextToken(), PAN)
                .getBytes(StandardCharsets.UTF_8)).reason().contains("card number"), "a PAN is no next token either");

        // Refused: a next key that could be confused with the current one, or is half configured.
        TokenKey current = TokenKey.from(env);
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", newKey,
                "VIGIL_TOKEN_NEXT_KEY_ID", "2026-01"), current), "the same id");
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", oldKey,
                "VIGIL_TOKEN_NEXT_KEY_ID", "2027-01"), current), "the same secret");
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", newKey), current));
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY_ID", "2027-01"),
                current), "an id without its key");
        String published = Base64.getEncoder().encodeToString(
                "vigil-development-key--never-use-in-production".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", published,
                "VIGIL_TOKEN_NEXT_KEY_ID", "2027-01"), current));
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", newKey,
                "VIGIL_TOKEN_NEXT_KEY_ID", "dev"), current), "named as the development key");
        assertThrows(IllegalStateException.class, () -> TokenKey.nextFrom(Map.of("VIGIL_TOKEN_NEXT_KEY", newKey,
                "VIGIL_TOKEN_NEXT_KEY_ID", "2027-01"), TokenKey.development()), "announced beside the development key");
        assertTrue(TokenKey.nextFrom(Map.of(), current).isEmpty());
    }

    @Test
    void theKeyIsReadFromAFileOthersCannotRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("token-key");
        java.nio.file.Files.writeString(file, Base64.getEncoder().encodeToString(new byte[40]) + "\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        TokenKey k = TokenKey.from(Map.of("VIGIL_TOKEN_KEY_FILE", file.toString(), "VIGIL_TOKEN_KEY_ID", "2026-12"));
        assertEquals("2026-12", k.id());
        assertEquals(new PanTokenizer(k).tokenizePan(PAN).token(), new PanTokenizer(new TokenKey("2026-12", new byte[40]))
                .tokenizePan(PAN).token());

        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException open = assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of(
                "VIGIL_TOKEN_KEY_FILE", file.toString(), "VIGIL_TOKEN_KEY_ID", "2026-12")));
        assertTrue(open.getMessage().contains("0440"), open.getMessage());
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        assertEquals("2026-12", TokenKey.from(Map.of("VIGIL_TOKEN_KEY_FILE", file.toString(), "VIGIL_TOKEN_KEY_ID",
                "2026-12")).id(), "0440: a secret mounted for a non-root process through its fsGroup");
        assertThrows(IllegalStateException.class, () -> TokenKey.from(Map.of(
                "VIGIL_TOKEN_KEY_FILE", dir.resolve("missing").toString(), "VIGIL_TOKEN_KEY_ID", "x")));
    }

    @Test
    void noClearPanSurvivesSerializationOfRecordsOrState() {
        CardIdentity id = tokenizer.tokenizePan(PAN);
        Authorization a = new Authorization("auth-1", id.token(), id.keyId(), id.bin(), id.last4(), id.panLength(),
                4250, "USD", 4250, "USD", "m-1", "5411", "US", 40.7, -74.0, -300, Channel.CARD_PRESENT,
                EntryMode.CHIP, null, TestData.T0, 1, null, null);
        CardState state = new CardState();
        CardFold.apply(state, a);
        Alert alert = new Alert(Alert.idFor("auth-1", "TEST"), "TEST", id.token(), TestData.T0, a, null,
                List.of("auth-1"), state.recent());
        for (byte[] bytes : List.of(AuthorizationCodec.INSTANCE.encode(a), AlertCodec.INSTANCE.encode(alert),
                CardStateCodec.encode(state))) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(PAN), "clear PAN in serialized form");
            assertFalse(text.contains(PAN.substring(0, 12)), "12+ leading digits of the PAN in serialized form");
        }
    }

    @Test
    void maskingHidesEveryLongDigitRunAndKeepsTheRest() {
        assertEquals("card **************** ok", PanMasking.mask("card 4111111111111111 ok"));
        assertEquals("**** **** **** ****", PanMasking.mask("4111 1111 1111 1111"));
        assertEquals("****-****-****-****", PanMasking.mask("4111-1111-1111-1111"));
        assertEquals("amount 12345678901 id 42", PanMasking.mask("amount 12345678901 id 42"));
        assertEquals("x************y", PanMasking.mask("x123456789012y"));
        assertEquals("a - 1 2", PanMasking.mask("a - 1 2"));
    }

    @Test
    void maskingHidesPansWrittenWithDotsDoubleSpacesOrJsonEscapes() {
        assertEquals("****.****.****.****", PanMasking.mask("4111.1111.1111.1111"));
        assertEquals("****  ****  ****  ****", PanMasking.mask("4111  1111  1111  1111"));
        String escaped = "{\"card_token\":\"\\u0034111111111111111\"}";
        String masked = PanMasking.mask(escaped);
        assertEquals(escaped.length(), masked.length());
        assertEquals("{\"card_token\":\"\\u002a***************\"}", masked);
        String allEscaped = "\\u0034\\u0031".repeat(8);
        assertEquals("\\u002a".repeat(16), PanMasking.mask(allEscaped));
        // Three separators in a row end a run: two short numbers stay readable.
        assertEquals("123456   789012", PanMasking.mask("123456   789012"));
        // A fraction is still a long digit run: over-masking a coordinate is the safe side.
        assertEquals("**.**********", PanMasking.mask("40.7123456789"));
    }

    @Test
    void aPanShorterThanSixteenDigitsShowsAtMostSixBinDigits() {
        assertEquals("371449*****8431", CardDisplay.of("37144963", "8431", 15, "t"));
        assertEquals("37144963****8431", CardDisplay.of("37144963", "8431", 16, "t"));
        assertEquals("371449*****8431", CardDisplay.of("371449", "8431", 15, "t"));
    }

    @Test
    void aWholeValueThatIsACardNumberIsRecognisedAndNothingElse() {
        assertTrue(PanScanner.isCardNumber(PAN));
        assertTrue(PanScanner.isCardNumber("4111 1111 1111 1111"));
        assertTrue(PanScanner.isCardNumber("4111.1111.1111.1111"));
        assertTrue(PanScanner.isCardNumber("378282246310005"));
        assertFalse(PanScanner.isCardNumber("4111111111111112"), "fails Luhn");
        assertFalse(PanScanner.isCardNumber("1111111111111117"), "no brand starts with 1");
        assertFalse(PanScanner.isCardNumber("a4111111111111111"), "not the whole value");
        assertFalse(PanScanner.isCardNumber("4111  1111 1111 1111"), "a double separator is no card number written out");
        assertFalse(PanScanner.isCardNumber("-4111111111111111"));
        assertFalse(PanScanner.isCardNumber("9f3a41111111111111114c2e"), "a hex id with a digit run inside is an id");
        assertFalse(PanScanner.isCardNumber("411111111111"), "12 digits");
    }

    @Test
    void everyTokenHasTheTokenShapeAndNoPanHasIt() {
        assertTrue(PanTokenizer.isTokenShaped(tokenizer.tokenizePan(PAN).token()));
        assertTrue(PanTokenizer.isTokenShaped(tokenizer.tokenizeOpaque("C123").token()));
        assertFalse(PanTokenizer.isTokenShaped(PAN));
        assertFalse(PanTokenizer.isTokenShaped("x".repeat(42) + "="), "base64url has no padding or =");
        assertFalse(PanTokenizer.isTokenShaped("tok_" + "a".repeat(43)), "exactly 43 characters");
        assertFalse(PanTokenizer.isTokenShaped(null));
    }

    @Test
    void typedTextIsSearchedForCardNumbersAsPeopleWriteThem() {
        assertTrue(PanScanner.containsCardNumber("customer read out 4111 1111 1111 1111 on the phone"));
        assertTrue(PanScanner.containsCardNumber("card:4111-1111-1111-1111."));
        assertTrue(PanScanner.containsCardNumber("ref 004111111111111111"), "a PAN glued to other digits");
        assertTrue(PanScanner.containsCardNumber("4111.1111.1111.1111"));
        assertFalse(PanScanner.containsCardNumber("411111******1111 called, amount 1,234.56"));
        assertFalse(PanScanner.containsCardNumber("case 12345, phone 555 0100"));
        assertFalse(PanScanner.containsCardNumber("4111 1111 1111 1112"), "fails Luhn");
        assertEquals("/api/cards/****************/timeline", PanScanner.maskCardNumbers("/api/cards/4111111111111111/timeline"));
        assertEquals("note: **** **** **** **** ok", PanScanner.maskCardNumbers("note: 4111 1111 1111 1111 ok"));
        String hexId = "alt-de3ba906187443784db90cfe06efba02";
        assertEquals(hexId, PanScanner.maskCardNumbers(hexId), "an id's long digit stretch is no card number");
    }
}
