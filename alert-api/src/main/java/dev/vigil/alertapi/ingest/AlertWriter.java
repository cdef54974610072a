package dev.vigil.alertapi.ingest;

import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.alert.AlertSummary;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.RecentAuthorization;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a batch of alerts in one transaction, idempotent by alert id: each alert joins its card's
 * open case (opening one when there is none), and an alert already stored changes nothing, so a
 * redelivered batch is harmless.
 */
@Singleton
public final class AlertWriter {
    /*
     * One statement per alert: open or touch the card's case, then insert the alert into it. The case
     * upsert takes the case row's lock, so it waits for a resolution in progress; once that commits
     * the row no longer matches the partial unique index and the alert opens a new case.
     */
    private static final String INSERT_ALERT = """
            WITH open_case AS (
                INSERT INTO cases (card_token, card_display, opened_at, last_alert_at, alert_count)
                SELECT ?, ?, ?, ?, 1
                WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alert_id = ?)
                ON CONFLICT (card_token) WHERE status = 'OPEN'
                DO UPDATE SET last_alert_at = GREATEST(cases.last_alert_at, EXCLUDED.last_alert_at),
                              alert_count = cases.alert_count + 1
                RETURNING case_id
            )
            INSERT INTO alerts (alert_id, kind, card_token, card_display, authorization_id, created_at,
                                event_time, score, action, model_version, amount_minor, currency,
                                merchant_id, merchant_country, case_id, payload)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, case_id, ? FROM open_case
            ON CONFLICT (alert_id) DO NOTHING""";
    private static final String INSERT_COVERED = """
            INSERT INTO alert_authorizations (alert_id, authorization_id, event_time, merchant_id) VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String CASES_OF = "SELECT alert_id, case_id FROM alerts WHERE alert_id = ANY (?)";

    /** An alert as decoded, with the bytes it arrived as (stored as they are: no second encoding). */
    public record Incoming(Alert alert, byte[] json) {
    }

    private final Db db;

    public AlertWriter(Db db) {
        this.db = db;
    }

    /** Stores the alerts; returns the summaries of those that were new (duplicates left out). */
    public List<AlertSummary> store(List<Incoming> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(c -> {
            int[] inserted;
            try (PreparedStatement ps = c.prepareStatement(INSERT_ALERT)) {
                for (Incoming in : batch) {
                    bindAlert(ps, in.alert(), in.json());
                    ps.addBatch();
                }
                inserted = ps.executeBatch();
            }
            List<Alert> fresh = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (inserted[i] > 0) {
                    fresh.add(batch.get(i).alert());
                }
            }
            if (fresh.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_COVERED)) {
                for (Alert alert : fresh) {
                    for (Map.Entry<String, Covered> e : covered(alert).entrySet()) {
                        ps.setString(1, alert.alertId());
                        ps.setString(2, e.getKey());
                        ps.setTimestamp(3, Db.ts(e.getValue().eventTimeMs()));
                        ps.setString(4, e.getValue().merchantId());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            return summaries(c, fresh);
        });
    }

    private static void bindAlert(PreparedStatement ps, Alert alert, byte[] json) throws SQLException {
        Authorization a = alert.authorization();
        Decision d = alert.decision();
        String display = AlertSummary.cardOf(alert);
        int i = 1;
        ps.setString(i++, alert.cardToken());
        ps.setString(i++, display);
        ps.setTimestamp(i++, Db.ts(alert.createdAtMs()));
        ps.setTimestamp(i++, Db.ts(alert.createdAtMs()));
        ps.setString(i++, alert.alertId());
        ps.setString(i++, alert.alertId());
        ps.setString(i++, alert.kind());
        ps.setString(i++, alert.cardToken());
        ps.setString(i++, display);
        ps.setString(i++, a.authorizationId());
        ps.setTimestamp(i++, Db.ts(alert.createdAtMs()));
        ps.setTimestamp(i++, Db.ts(a.eventTimeMs()));
        Float score = AlertSummary.scoreOf(d);
        if (score == null) {
            ps.setNull(i++, Types.REAL);
        } else {
            ps.setFloat(i++, score);
        }
        ps.setString(i++, d == null ? null : d.action().name());
        ps.setString(i++, d == null ? null : d.modelVersion());
        ps.setLong(i++, a.amountMinor());
        ps.setString(i++, a.currency());
        ps.setString(i++, a.merchantId());
        ps.setString(i++, a.merchantCountry());
        ps.setString(i, new String(json, StandardCharsets.UTF_8));
    }

    /**
     * The authorizations a verdict on this alert labels, with their event times: the trigger and a
     * pattern's other authorizations. An involved authorization that fell out of the alert's recent
     * snapshot takes the trigger's time (it happened within the pattern's window before it).
     */
    static Map<String, Covered> covered(Alert alert) {
        Map<String, RecentAuthorization> seen = new HashMap<>();
        for (RecentAuthorization r : alert.recent()) {
            seen.put(r.authorizationId(), r);
        }
        Map<String, Covered> covered = new LinkedHashMap<>();
        Authorization trigger = alert.authorization();
        covered.put(trigger.authorizationId(), new Covered(trigger.eventTimeMs(), trigger.merchantId()));
        for (String id : alert.relatedAuthorizationIds()) {
            RecentAuthorization r = seen.get(id);
            covered.putIfAbsent(id, r == null ? new Covered(trigger.eventTimeMs(), null)
                    : new Covered(r.eventTimeMs(), r.merchantId()));
        }
        return covered;
    }

    /**
     * One authorization a verdict will label: its time, and its merchant when the alert's snapshot
     * holds it (the label carries it to the live merchant risk), else null.
     */
    record Covered(long eventTimeMs, String merchantId) {
    }

    private static List<AlertSummary> summaries(Connection c, List<Alert> fresh) throws SQLException {
        Map<String, Long> caseOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CASES_OF)) {
            ps.setArray(1, c.createArrayOf("text", fresh.stream().map(Alert::alertId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    caseOf.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<AlertSummary> out = new ArrayList<>(fresh.size());
        for (Alert alert : fresh) {
            out.add(AlertSummary.of(alert, caseOf.get(alert.alertId())));
        }
        return out;
    }
}
