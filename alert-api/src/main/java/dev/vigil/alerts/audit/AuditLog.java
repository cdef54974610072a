package dev.vigil.alerts.audit;

import dev.vigil.alerts.Db;
import dev.vigil.alerts.alert.Cursor;
import dev.vigil.alerts.alert.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

/** The append-only record of who read or changed what (the table's trigger refuses updates and deletes). */
@Singleton
public class AuditLog {
    @Serdeable
    public record Entry(long auditId, String at, String username, String action, String resource, int outcome,
                        @Nullable String detail) {
    }

    private final Db db;

    public AuditLog(Db db) {
        this.db = db;
    }

    public void record(String username, String action, String resource, int outcome, String detail) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log (username, action, resource, outcome, detail) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, username);
                ps.setString(2, action);
                ps.setString(3, resource);
                ps.setInt(4, outcome);
                ps.setString(5, detail);
                return ps.executeUpdate();
            }
        });
    }

    public Page<Entry> list(String username, Long before, int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT audit_id, at, username, action, resource, outcome, detail FROM audit_log");
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (username != null) {
            where.add("username = ?");
            params.add(username);
        }
        if (before != null) {
            where.add("audit_id < ?");
            params.add(before);
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        sql.append(" ORDER BY audit_id DESC LIMIT ?");
        params.add(limit + 1);
        List<Entry> rows = db.read(c -> Db.query(c, sql.toString(), params, rs -> new Entry(rs.getLong(1),
                Db.iso(rs.getTimestamp(2)), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7))));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = new Cursor(0, Long.toString(rows.get(limit - 1).auditId())).encode();
        }
        return new Page<>(List.copyOf(rows), next);
    }
}
