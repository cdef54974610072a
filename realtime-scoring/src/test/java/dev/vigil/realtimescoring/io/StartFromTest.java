package dev.vigil.realtimescoring.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartFromTest {
    @Test
    void namesAndATimeParse() {
        assertEquals(KafkaIo.StartFrom.LATEST, KafkaIo.StartFrom.parse("latest"));
        assertEquals(KafkaIo.StartFrom.COMMITTED, KafkaIo.StartFrom.parse("Committed"));
        assertEquals(new KafkaIo.StartFrom(KafkaIo.StartFrom.Kind.AT, 1764900000123L),
                KafkaIo.StartFrom.parse("at:1764900000123"));
    }

    @Test
    void anythingElseIsRefusedWithWhatIsAccepted() {
        var e = assertThrows(IllegalArgumentException.class, () -> KafkaIo.StartFrom.parse("yesterday"));
        assertTrue(e.getMessage().contains("at:EPOCH_MS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KafkaIo.StartFrom.parse("at:noon"));
    }
}
