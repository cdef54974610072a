package dev.vigil.alertapi.alert;

import dev.vigil.alertapi.ApiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertFilterTest {

    @Test
    void everyValueBecomesABoundParameterNeverSqlText() {
        String token = "tok_" + "a".repeat(39);
        AlertFilter f = AlertFilter.of("OPEN", 0.5f, 0.9f, token, "CARD_TESTING", "2024-01-01T00:00:00Z",
                "2024-02-01T00:00:00Z");
        StringBuilder sql = new StringBuilder("SELECT * FROM alerts");
        List<Object> params = new ArrayList<>();
        f.where(sql, params, new Cursor(1_700_000_000_000L, "alt-1"));
        assertEquals("SELECT * FROM alerts WHERE status = ? AND card_token = ? AND kind = ? AND score >= ? AND "
                + "score <= ? AND created_at >= ? AND created_at < ? AND (created_at, alert_id) < (?, ?)", sql.toString());
        assertEquals(9, params.size());
        assertEquals(token, params.get(1));
    }

    @Test
    void noFilterMeansNoWhere() {
        StringBuilder sql = new StringBuilder("SELECT * FROM alerts");
        List<Object> params = new ArrayList<>();
        AlertFilter.of(null, null, null, " ", "", null, null).where(sql, params, null);
        assertEquals("SELECT * FROM alerts", sql.toString());
        assertTrue(params.isEmpty());
    }

    @Test
    void hostileOrWrongValuesAreRefusedWithTheReason() {
        assertMessage("status must be OPEN or RESOLVED", () -> AlertFilter.of("OPEN' OR '1'='1", null, null, null, null, null, null));
        assertMessage("card must be a card token", () -> AlertFilter.of(null, null, null, "x'; DROP TABLE alerts;--", null, null, null));
        assertMessage("card must be a card token", () -> AlertFilter.of(null, null, null, "4111111111111111", null, null, null));
        assertMessage("pattern must be an alert kind", () -> AlertFilter.of(null, null, null, null, "card_testing", null, null));
        assertMessage("minScore must be between 0 and 1", () -> AlertFilter.of(null, -0.1f, null, null, null, null, null));
        assertMessage("minScore must not exceed maxScore", () -> AlertFilter.of(null, 0.9f, 0.1f, null, null, null, null));
        assertMessage("from must be an ISO-8601 instant", () -> AlertFilter.of(null, null, null, null, null, "2024-01-01", null));
        assertMessage("from must not be after to", () -> AlertFilter.of(null, null, null, null, null,
                "2024-02-01T00:00:00Z", "2024-01-01T00:00:00Z"));
    }

    @Test
    void cursorsRoundTripAndForgedOnesAreA400() {
        Cursor c = new Cursor(1_700_000_000_123L, "alt-0123abcd");
        assertEquals(c, Cursor.decode(c.encode()));
        assertEquals(null, Cursor.decode(null));
        for (String forged : List.of("%%%", "MTIzNA", "YWJjfGFsdC0x", "MTJ8JyBPUiAxPTE", "A".repeat(300))) {
            assertMessage("cursor is not one this service issued", () -> Cursor.decode(forged));
        }
    }

    private static void assertMessage(String part, Runnable call) {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(400, e.status().getCode());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
