package dev.vigil.core.feature;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CurrenciesTest {

    @Test
    void thousandthsAreExactForEveryExponent() {
        assertEquals(1_234_000, Currencies.toThousandths(1_234, "JPY"), "no minor digits");
        assertEquals(12_340, Currencies.toThousandths(1_234, "EUR"), "two minor digits");
        assertEquals(1_234, Currencies.toThousandths(1_234, "KWD"), "three minor digits");
        assertEquals(12_340, Currencies.toThousandths(1_234, null), "unknown: two, as exponent() says");
        // The point of the unit: 0.10 + 0.20 + 0.30 as doubles depends on the order of the additions;
        // in thousandths it does not.
        long sum = Currencies.toThousandths(10, "USD") + Currencies.toThousandths(20, "USD") + Currencies.toThousandths(30, "USD");
        assertEquals(600, sum);
    }
}
