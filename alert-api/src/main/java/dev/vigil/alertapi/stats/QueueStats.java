package dev.vigil.alertapi.stats;

import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.security.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the queue stands: open alerts by age and pattern, open cases, and what each analyst resolved. */
@Controller("/api/stats")
@Secured(Role.LEAD_ROLE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "statistics")
public class QueueStats {
    private final Db db;

    public QueueStats(Db db) {
        this.db = db;
    }

    @Serdeable
    public record AnalystThroughput(String analyst, long resolvedLastDay, long resolvedLastWeek,
                                    long confirmedFraudLastWeek, long falsePositiveLastWeek) {
    }

    @Serdeable
    public record Queue(Map<String, Long> openAlertsByAge, Map<String, Long> openAlertsByPattern, long openCases,
                        long unassignedCases, List<AnalystThroughput> analysts) {
    }

    @Get("/queue")
    @Operation(summary = "Open alerts by age and by pattern, open and unassigned cases, analyst throughput (LEAD)")
    public Queue queue() {
        return db.read(c -> {
            Map<String, Long> byAge = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FILTER (WHERE created_at > now() - interval '1 hour'),
                           count(*) FILTER (WHERE created_at <= now() - interval '1 hour' AND created_at > now() - interval '4 hours'),
                           count(*) FILTER (WHERE created_at <= now() - interval '4 hours' AND created_at > now() - interval '1 day'),
                           count(*) FILTER (WHERE created_at <= now() - interval '1 day' AND created_at > now() - interval '7 days'),
                           count(*) FILTER (WHERE created_at <= now() - interval '7 days')
                    FROM alerts WHERE status = 'OPEN'""");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] buckets = {"under 1h", "1h-4h", "4h-1d", "1d-7d", "over 7d"};
                for (int i = 0; i < buckets.length; i++) {
                    byAge.put(buckets[i], rs.getLong(i + 1));
                }
            }
            Map<String, Long> byPattern = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT kind, count(*) FROM alerts WHERE status = 'OPEN' GROUP BY kind ORDER BY count(*) DESC, kind");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byPattern.put(rs.getString(1), rs.getLong(2));
                }
            }
            long open;
            long unassigned;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), count(*) FILTER (WHERE assignee IS NULL) FROM cases WHERE status = 'OPEN'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                open = rs.getLong(1);
                unassigned = rs.getLong(2);
            }
            List<AnalystThroughput> analysts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT resolved_by,
                           count(*) FILTER (WHERE resolved_at > now() - interval '1 day'),
                           count(*),
                           count(*) FILTER (WHERE verdict = 'CONFIRMED_FRAUD'),
                           count(*) FILTER (WHERE verdict = 'FALSE_POSITIVE')
                    FROM cases WHERE status = 'RESOLVED' AND resolved_at > now() - interval '7 days'
                    GROUP BY resolved_by ORDER BY count(*) DESC, resolved_by""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    analysts.add(new AnalystThroughput(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            return new Queue(byAge, byPattern, open, unassigned, analysts);
        });
    }
}
