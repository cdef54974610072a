package dev.vigil.loadtest.chaos.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Check 5: the audit log grew by exactly one row per request the run made to {@code /api} and
 * {@code /login}, with the same outcomes.
 */
final class AuditTrail {
    private AuditTrail() {
    }

    static long lastAuditId(ApiRun run) throws SQLException {
        try (Connection c = run.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(audit_id), 0) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void check(ApiRun run, long fromId) throws Exception {
        Thread.sleep(1_000); // the live stream's row is written when it closes
        Map<Integer, Long> rows = new TreeMap<>();
        try (Connection c = run.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT outcome, count(*) FROM audit_log WHERE audit_id > ? GROUP BY outcome")) {
            ps.setLong(1, fromId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        Map<Integer, Long> sent = new TreeMap<>();
        run.sentByOutcome.forEach((k, v) -> sent.put(k, v.get()));
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        long requests = sent.values().stream().mapToLong(Long::longValue).sum();
        run.report.put("audited_requests_sent", requests);
        run.report.put("audit_rows_written", total);
        run.report.put("requests_by_status", sent);
        run.report.put("audit_rows_by_outcome", rows);
        System.err.printf("  audit: %,d requests to /api and /login, %,d rows written%n", requests, total);
        if (total != requests || !rows.equals(sent)) {
            run.failures.add(String.format("audit log: %,d requests by status %s, %,d rows by outcome %s", requests, sent,
                    total, rows));
        }
    }

}
