package dev.vigil.loadtest.chaos.api;

import dev.vigil.core.event.Alert;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.JsonTree;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.chaos.ChaosVerify;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Check 2: every alert the job wrote to Kafka since the run started is stored, once. Returns an
 * alert of this run whose case is still open, for the checks that need one (null, with a failure,
 * when there is none).
 */
final class AlertsStored {
    private AlertsStored() {
    }

    static Known check(ApiRun run) throws Exception {
        ApiChaos.Settings s = run.s;
        long sinceMs = (long) JsonTree.number(JsonTree.object(JsonTree.parse(Files.readAllBytes(s.run().resolve("traffic.json"))), ""),
                "since_ms");
        long deadline = System.currentTimeMillis() + s.timeout().toMillis();
        Set<String> onTopic = new HashSet<>();
        long records = 0;
        Set<String> missing;
        int quiet = 0;
        while (true) {
            long[] seen = {0};
            ChaosVerify.read(s.bootstrap(), Topic.ALERTS.topicName(), sinceMs, () -> false, Duration.ZERO, r -> {
                seen[0]++;
                Decoded<Alert> a = AlertCodec.INSTANCE.decode(r.value());
                if (a.isOk()) {
                    onTopic.add(a.value().alertId());
                }
            });
            missing = notStored(run, onTopic);
            quiet = seen[0] == records ? quiet + 1 : 0;
            records = seen[0];
            // Stored, and the topic quiet for two rounds: the job has decided the run's traffic.
            if (missing.isEmpty() && quiet >= 2 || System.currentTimeMillis() > deadline) {
                break;
            }
            Thread.sleep(1_000);
        }
        run.report.put("alerts_on_topic", onTopic.size());
        run.report.put("alert_records_on_topic", records);
        run.report.put("decided", onTopic.size() - missing.size());
        run.report.put("missing", missing.size());
        System.err.printf("  %,d alerts on %s since the run started (%,d records), %,d of them not stored%n", onTopic.size(),
                Topic.ALERTS.topicName(), records, missing.size());
        if (!missing.isEmpty()) {
            run.failures.add(missing.size() + " alerts on the topic never stored, e.g. " + missing.iterator().next());
        }
        if (onTopic.isEmpty()) {
            run.failures.add("the run produced no alert, so nothing was ingested");
            return null;
        }
        // An alert of this run whose case is still open: the matrix and the verdict need one.
        try (Connection c = run.db(); PreparedStatement ps = c.prepareStatement("SELECT a.alert_id, a.case_id, a.card_token"
                + " FROM alerts a JOIN cases c ON c.case_id = a.case_id WHERE c.status = 'OPEN' AND a.alert_id = ANY (?)"
                + " ORDER BY a.created_at DESC LIMIT 1")) {
            ps.setArray(1, c.createArrayOf("text", onTopic.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Known(rs.getString(1), rs.getLong(2), rs.getString(3));
                }
            }
        }
        run.failures.add("no alert of this run has an open case");
        return null;
    }

    private static Set<String> notStored(ApiRun run, Set<String> ids) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection c = run.db(); PreparedStatement ps = c.prepareStatement("SELECT alert_id FROM alerts WHERE alert_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(stored);
        return missing;
    }

}
