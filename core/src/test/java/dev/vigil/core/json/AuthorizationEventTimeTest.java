package dev.vigil.core.json;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The event time sources stamp on each raw authorization is the one its full decode gives. */
class AuthorizationEventTimeTest {

    @Test
    void theScannedEventTimeIsTheDecodedOne() {
        TestData.Random2 r = new TestData.Random2(11);
        for (int i = 0; i < 2_000; i++) {
            Authorization a = r.authorization();
            assertEquals(a.eventTimeMs(), AuthorizationCodec.eventTimeMs(AuthorizationCodec.INSTANCE.encode(a)));
        }
    }

    @Test
    void onlyTheTopLevelFieldCountsAndAnUnreadableRecordHasNone() {
        assertEquals(1_700_000_000_000L, scan("{\"merchant_id\":\"\\\"event_time_ms\\\":5\",\"x\":{\"event_time_ms\":7},"
                + "\"event_time_ms\":1700000000000}"));
        assertEquals(Long.MIN_VALUE, scan("{\"nested\":{\"event_time_ms\":1700000000000}}"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":\"1700000000000\"}"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":-1}"));
        assertEquals(Long.MIN_VALUE, scan("[1700000000000]"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":17000"));
        assertEquals(Long.MIN_VALUE, scan("not json"));
        // What decode refuses, the scan refuses: a repeated field, a cut-off record, an oversized record.
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":1700000000000,\"event_time_ms\":7258118400000}"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":1700000000000,\"merchant_id\":\"m"));
        // ... and what it takes, the scan takes: JSON Schema counts 1.7e12 as an integer, so does decode.
        assertEquals(1_700_000_000_000L, scan("{\"event_time_ms\":1.7e12}"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":1.5}"));
        assertEquals(Long.MIN_VALUE, scan("{\"event_time_ms\":1700000000000,\"pad\":\"" + "x".repeat(20_000) + "\"}"));
        assertEquals(Long.MIN_VALUE, AuthorizationCodec.eventTimeMs(new byte[0]));
        assertEquals(Long.MIN_VALUE, AuthorizationCodec.eventTimeMs(null));
    }

    private static long scan(String json) {
        return AuthorizationCodec.eventTimeMs(json.getBytes(StandardCharsets.UTF_8));
    }
}
