package dev.vigil.alertapi.casework;

import dev.vigil.core.token.PanScanner;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.audit.AuditLog;
import io.micronaut.http.HttpStatus;
import dev.vigil.alertapi.alert.AlertSummary;
import dev.vigil.alertapi.alert.Cursor;
import dev.vigil.alertapi.alert.Page;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.json.LabelCodec;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Case work: the queue of cases, claiming and assigning, notes, and resolution with a verdict that
 * becomes one {@link Label} per covered authorization. Every state change checks the case's state
 * in the same statement or under its row lock, so two analysts cannot both win.
 */
@Singleton
public class Cases {
    private static final String CASE_COLUMNS = "case_id, card_token, card_display, status, assignee, opened_at, "
            + "last_alert_at, alert_count, verdict, resolved_by, resolved_at";
    private static final String ALERTS_OF_CASE = "SELECT " + AlertSummary.COLUMNS
            + " FROM alerts WHERE case_id = ? ORDER BY created_at DESC, alert_id DESC LIMIT 500";
    private static final String COVERED = """
            SELECT aa.authorization_id, MIN(aa.event_time), MIN(aa.merchant_id) FROM alert_authorizations aa
            JOIN alerts a ON a.alert_id = aa.alert_id WHERE a.case_id = ?
            GROUP BY aa.authorization_id ORDER BY aa.authorization_id""";

    /** The outcome of a resolve request; {@code labelsCreated} is 0 when it repeats an earlier one. */
    @Serdeable
    public record Resolution(CaseView resolvedCase, int labelsCreated, boolean repeated) {
    }

    private final Db db;
    private final LabelOutbox outbox;

    private final AuditLog audit;

    public Cases(Db db, LabelOutbox outbox, AuditLog audit) {
        this.audit = audit;
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * A note is kept for ever and shown to every analyst: one holding a card-like number (any 13 to
     * 19 digits that pass Luhn, as people type them) is refused with a 400 that says what to write
     * instead, and nothing is stored.
     */
    static void refuseCardNumbers(String note) {
        if (note != null && PanScanner.containsCardLikeNumber(note)) {
            throw ApiException.badRequest("a note must not hold a card number: refer to the card by its BIN and last four");
        }
    }

    public Page<CaseView> list(String status, String assignee, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(CASE_COLUMNS).append(" FROM cases WHERE status = ?");
        List<Object> params = new ArrayList<>(List.of(status));
        if (assignee != null) {
            sql.append(" AND assignee = ?");
            params.add(assignee);
        }
        if (after != null) {
            sql.append(" AND (last_alert_at, case_id) < (?, ?)");
            params.add(new java.sql.Timestamp(after.atMs()));
            params.add(Long.parseLong(after.id()));
        }
        sql.append(" ORDER BY last_alert_at DESC, case_id DESC LIMIT ?");
        params.add(limit + 1);
        List<CaseView> rows = db.read(c -> Db.query(c, sql.toString(), params, Cases::caseOf));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            CaseView last = rows.get(limit - 1);
            next = new Cursor(Instant.parse(last.lastAlertAt()).toEpochMilli(), Long.toString(last.caseId())).encode();
        }
        return new Page<>(List.copyOf(rows), next);
    }

    public CaseView get(long caseId) {
        return db.read(c -> full(c, caseId));
    }

    /** Takes an open case for {@code analyst}; taking one's own case again is a no-op. */
    public CaseView claim(long caseId, String analyst) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE cases SET assignee = ? WHERE case_id = ? AND status = 'OPEN'
                    AND (assignee IS NULL OR assignee = ?)""")) {
                ps.setString(1, analyst);
                ps.setLong(2, caseId);
                ps.setString(3, analyst);
                if (ps.executeUpdate() == 0) {
                    CaseView now = summary(c, caseId);
                    if (!now.status().equals("OPEN")) {
                        throw ApiException.conflict("case " + caseId + " is already resolved");
                    }
                    throw ApiException.conflict("case " + caseId + " is claimed by " + now.assignee());
                }
            }
            audit.recordChange(c, HttpStatus.OK, "case " + caseId + " claimed by " + analyst);
            return full(c, caseId);
        });
    }

    /** Gives an open case to {@code assignee} (a lead's call), whoever held it. */
    public CaseView assign(long caseId, String assignee) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM users WHERE username = ? AND enabled")) {
                ps.setString(1, assignee);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.badRequest("assignee " + assignee + " is not an active user");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE cases SET assignee = ? WHERE case_id = ? AND status = 'OPEN'")) {
                ps.setString(1, assignee);
                ps.setLong(2, caseId);
                if (ps.executeUpdate() == 0) {
                    summary(c, caseId);
                    throw ApiException.conflict("case " + caseId + " is already resolved");
                }
            }
            audit.recordChange(c, HttpStatus.OK, "case " + caseId + " assigned to " + assignee);
            return full(c, caseId);
        });
    }

    public CaseView.Note addNote(long caseId, String author, String body) {
        refuseCardNumbers(body);
        return db.inTransaction(c -> {
            summary(c, caseId);
            CaseView.Note added = insertNote(c, caseId, author, body);
            audit.recordChange(c, HttpStatus.CREATED, "note " + added.noteId() + " on case " + caseId);
            return added;
        });
    }

    /**
     * Resolves an open case: the case and its alerts are closed and every authorization they cover
     * gets an analyst label in the outbox, in one transaction; then the outbox is flushed. Resolving
     * a resolved case again with the same verdict answers as before and creates nothing.
     */
    public Resolution resolve(long caseId, Verdict verdict, String analyst, boolean lead, String note) {
        refuseCardNumbers(note);
        Resolution resolution = db.inTransaction(c -> {
            CaseView current;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + CASE_COLUMNS + " FROM cases WHERE case_id = ? FOR UPDATE")) {
                ps.setLong(1, caseId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("case " + caseId);
                    }
                    current = caseOf(rs);
                }
            }
            if (current.status().equals("RESOLVED")) {
                if (verdict.name().equals(current.verdict())) {
                    return new Resolution(full(c, caseId), 0, true);
                }
                throw ApiException.conflict("case " + caseId + " was already resolved as " + current.verdict());
            }
            if (current.assignee() != null && !current.assignee().equals(analyst) && !lead) {
                throw ApiException.conflict("case " + caseId + " is claimed by " + current.assignee());
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE cases SET status = 'RESOLVED', verdict = ?, resolved_by = ?, resolved_at = ?,
                                     assignee = COALESCE(assignee, ?)
                    WHERE case_id = ?""")) {
                ps.setString(1, verdict.name());
                ps.setString(2, analyst);
                ps.setTimestamp(3, Db.ts(now));
                ps.setString(4, analyst);
                ps.setLong(5, caseId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET status = 'RESOLVED' WHERE case_id = ?")) {
                ps.setLong(1, caseId);
                ps.executeUpdate();
            }
            int created = writeLabels(c, caseId, current.cardToken(), verdict, analyst, now);
            if (note != null && !note.isBlank()) {
                insertNote(c, caseId, analyst, note);
            }
            audit.recordChange(c, HttpStatus.OK, "case " + caseId + " resolved as " + verdict + ", " + created
                    + " label(s) to the outbox");
            return new Resolution(full(c, caseId), created, false);
        });
        if (resolution.labelsCreated() > 0) {
            try {
                outbox.flush();
            } catch (RuntimeException e) {
                // The labels are committed; the scheduled flush publishes them when Kafka is back.
            }
        }
        return resolution;
    }

    /**
     * One analyst label per covered authorization. Label ids derive from the authorization id and the
     * source, so an authorization covered by two cases keeps the first verdict's label.
     */
    private static int writeLabels(Connection c, long caseId, String cardToken, Verdict verdict, String analyst,
                                   long now) throws SQLException {
        List<Label> labels = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COVERED)) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.add(Label.of(rs.getString(1), cardToken, rs.getString(3), verdict.fraud(), LabelSource.ANALYST, now,
                            rs.getTimestamp(2).getTime(), analyst));
                }
            }
        }
        int created = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO label_outbox (label_id, authorization_id, card_token, case_id, payload)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (label_id) DO NOTHING""")) {
            for (Label label : labels) {
                ps.setString(1, label.labelId());
                ps.setString(2, label.authorizationId());
                ps.setString(3, cardToken);
                ps.setLong(4, caseId);
                ps.setString(5, new String(LabelCodec.INSTANCE.encode(label), StandardCharsets.UTF_8));
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) {
                created += Math.max(0, n);
            }
        }
        return created;
    }

    private static CaseView.Note insertNote(Connection c, long caseId, String author, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO case_notes (case_id, author, body) VALUES (?, ?, ?)
                RETURNING note_id, author, body, created_at""")) {
            ps.setLong(1, caseId);
            ps.setString(2, author);
            ps.setString(3, body);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new CaseView.Note(rs.getLong(1), rs.getString(2), rs.getString(3), Db.iso(rs.getTimestamp(4)));
            }
        }
    }

    private static CaseView summary(Connection c, long caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CASE_COLUMNS + " FROM cases WHERE case_id = ?")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("case " + caseId);
                }
                return caseOf(rs);
            }
        }
    }

    private static CaseView full(Connection c, long caseId) throws SQLException {
        CaseView view = summary(c, caseId);
        List<AlertSummary> alerts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ALERTS_OF_CASE)) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    alerts.add(AlertSummary.from(rs));
                }
            }
        }
        return view.with(alerts, notes(c, caseId));
    }

    static List<CaseView.Note> notes(Connection c, long caseId) throws SQLException {
        List<CaseView.Note> notes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT note_id, author, body, created_at FROM case_notes WHERE case_id = ? ORDER BY note_id")) {
            ps.setLong(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notes.add(new CaseView.Note(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Db.iso(rs.getTimestamp(4))));
                }
            }
        }
        return notes;
    }

    static CaseView caseOf(ResultSet rs) throws SQLException {
        return new CaseView(rs.getLong("case_id"), rs.getString("card_token"), rs.getString("card_display"),
                rs.getString("status"), rs.getString("assignee"), Db.iso(rs.getTimestamp("opened_at")),
                Db.iso(rs.getTimestamp("last_alert_at")), rs.getInt("alert_count"), rs.getString("verdict"),
                rs.getString("resolved_by"), Db.iso(rs.getTimestamp("resolved_at")), null, null);
    }
}
