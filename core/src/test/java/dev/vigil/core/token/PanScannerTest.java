package dev.vigil.core.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PanScannerTest {
    private static final byte[] SALT = "test-salt".getBytes(StandardCharsets.US_ASCII);
    /** A Luhn-valid Visa number of a test BIN; never a real card. */
    private static final String PAN = luhn("414720000012345");
    private static final String OTHER = luhn("546616000098765");

    private static String luhn(String payload) {
        return payload + Luhn.checkDigit(payload);
    }

    private static List<PanScanner.Finding> scan(String text) {
        PanScanner scanner = new PanScanner(SALT, Set.of(PanScanner.hash(SALT, PAN)), Set.of(PAN.substring(0, 6)));
        List<PanScanner.Finding> found = new ArrayList<>();
        scanner.scan("here", text, found::add);
        return found;
    }

    @Test
    void anInputPanIsFoundAloneInsideJsonAndGluedToOtherDigits() {
        for (String text : List.of(PAN, "{\"pan\":\"" + PAN + "\"}", "99" + PAN + "0123", "x" + PAN)) {
            List<PanScanner.Finding> f = scan(text);
            assertEquals(1, f.size(), text);
            assertTrue(f.get(0).inputPan());
            assertEquals("414720******2345".length(), f.get(0).masked().length());
            assertTrue(f.get(0).masked().startsWith("414720") && f.get(0).masked().endsWith(PAN.substring(12)));
            assertFalse(f.get(0).masked().contains(PAN.substring(6, 12)), "the middle digits are never reported");
        }
    }

    @Test
    void anotherCardShapedRunIsListedButNotCountedAsAnInputPan() {
        List<PanScanner.Finding> f = scan("card " + OTHER + " end");
        assertEquals(1, f.size());
        assertFalse(f.get(0).inputPan());
        assertEquals("mastercard", f.get(0).brand());
    }

    @Test
    void timestampsTokensAndMaskedPansAreNotCandidates() {
        assertTrue(scan("at 1763811234567 and 1763811234567890 µs").isEmpty(), "epoch ms and µs are not in a card range");
        assertTrue(scan("414720******2345 and 4147200000 12345").isEmpty());
        assertTrue(scan("{\"merchant_lat\":40." + OTHER + "}").isEmpty(), "a coordinate's fraction is no card number");
        assertEquals(1, scan("{\"merchant_lat\":40." + PAN + "}").size(), "but an input PAN is found even there");
        assertTrue(scan(PAN.substring(0, 15) + (char) ('0' + (PAN.charAt(15) - '0' + 1) % 10)).isEmpty(),
                "a BIN-range run failing Luhn is not a candidate");
    }

    @Test
    void binRangeAndLuhnTogetherPassAboutOneRandomRunInForty() {
        SplittableRandom r = new SplittableRandom(7);
        int candidates = 0, luhnOnly = 0, runs = 100_000;
        for (int i = 0; i < runs; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 16; k++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
            luhnOnly += Luhn.valid(b) ? 1 : 0;
            candidates += scan(b.toString()).size();
        }
        assertEquals(0.10, luhnOnly / (double) runs, 0.01, "Luhn alone passes one in ten");
        assertEquals(0.026, candidates / (double) runs, 0.005, "issuer ranges and Luhn together");
    }

    @Test
    void brandsFollowIssuerRangesAndLengths() {
        assertEquals("visa", PanScanner.brand("4111111111111111"));
        assertEquals("amex", PanScanner.brand("371449635398431"));
        assertNull(PanScanner.brand("371449635398431000"), "amex is 15 digits");
        assertEquals("mastercard", PanScanner.brand("2221000000000009"));
        assertNull(PanScanner.brand("1763811234567890"));
    }
}
