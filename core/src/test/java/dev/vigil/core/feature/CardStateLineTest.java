package dev.vigil.core.feature;

import dev.vigil.core.TestData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CardStateLineTest {
    @Test
    void aLineCarriesTheTokenAndTheCodecsBytes() {
        CardState s = new CardState();
        CardFold.step(s, TestData.auth("a-1", 0, 25_00), null, null, FeatureSet.newVector());
        String line = new CardStateLine("tok_x", s).encode();

        CardStateLine back = CardStateLine.decode(line);
        assertEquals("tok_x", back.cardToken());
        assertEquals("tok_x", CardStateLine.cardToken(line));
        assertArrayEquals(CardStateCodec.encode(s), CardStateCodec.encode(back.state()));
    }

    @Test
    void aLineWithoutATabIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CardStateLine.decode("4111111111111111"));
        assertFalse(e.getMessage().contains("4111"), e.getMessage());
    }
}
