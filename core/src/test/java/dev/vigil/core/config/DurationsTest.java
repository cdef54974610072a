package dev.vigil.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {
    @Test
    void secondsMinutesHoursAndBareSeconds() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
        assertEquals(Duration.ofMillis(500), Durations.parse("0.5s"));
    }

    @Test
    void anythingElseSaysWhatIsExpected() {
        for (String bad : new String[] {"", "soon", "5d", "m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
            assertEquals("a duration such as 30, 30s, 5m or 1h: " + bad, e.getMessage());
        }
    }
}
