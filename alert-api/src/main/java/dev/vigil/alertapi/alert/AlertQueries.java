package dev.vigil.alertapi.alert;

import dev.vigil.alertapi.ApiException;
import dev.vigil.alertapi.Db;
import dev.vigil.core.event.Alert;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.Decoded;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads of the alert table: the filtered queue, one alert in full, a card's alerts. */
@Singleton
public final class AlertQueries {
    static final int CARD_ALERTS = 20;
    private static final String ONE = "SELECT " + AlertSummary.COLUMNS + ", payload FROM alerts WHERE alert_id = ?";
    private static final String OF_CARD = "SELECT " + AlertSummary.COLUMNS
            + " FROM alerts WHERE card_token = ? ORDER BY created_at DESC, alert_id DESC LIMIT ?";

    private final Db db;

    public AlertQueries(Db db) {
        this.db = db;
    }

    public Page<AlertSummary> list(AlertFilter filter, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(AlertSummary.COLUMNS).append(" FROM alerts");
        List<Object> params = new ArrayList<>();
        filter.where(sql, params, after);
        sql.append(" ORDER BY created_at DESC, alert_id DESC LIMIT ?");
        params.add(limit + 1);
        List<AlertSummary> rows = db.read(c -> query(c, sql.toString(), params));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            AlertSummary last = rows.get(limit - 1);
            next = new Cursor(Instant.parse(last.createdAt()).toEpochMilli(), last.alertId()).encode();
        }
        return new Page<>(List.copyOf(rows), next);
    }

    public AlertDetail detail(String alertId) {
        return db.read(c -> {
            AlertSummary summary;
            Alert alert;
            try (PreparedStatement ps = c.prepareStatement(ONE)) {
                ps.setString(1, alertId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ApiException.notFound("alert " + alertId);
                    }
                    summary = AlertSummary.from(rs);
                    alert = decodeStored(rs.getString("payload"));
                }
            }
            return AlertDetail.of(summary, alert, ofCard(c, summary.cardToken(), CARD_ALERTS));
        });
    }

    /** The full alerts of a card, newest first, as stored. */
    public List<Alert> fullAlertsOfCard(Connection c, String cardToken, int limit) throws SQLException {
        List<Alert> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT payload FROM alerts WHERE card_token = ? ORDER BY created_at DESC, alert_id DESC LIMIT ?")) {
            ps.setString(1, cardToken);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(decodeStored(rs.getString(1)));
                }
            }
        }
        return out;
    }

    public List<AlertSummary> ofCard(Connection c, String cardToken, int limit) throws SQLException {
        return query(c, OF_CARD, List.of(cardToken, limit));
    }

    static List<AlertSummary> query(Connection c, String sql, List<Object> params) throws SQLException {
        return Db.query(c, sql, params, AlertSummary::from);
    }

    /** Stored payloads passed the codec on the way in; failing now means the table was tampered with. */
    private static Alert decodeStored(String payload) {
        Decoded<Alert> d = AlertCodec.INSTANCE.decode(payload.getBytes(StandardCharsets.UTF_8));
        if (!d.isOk()) {
            throw new IllegalStateException("stored alert no longer decodes: " + d.reason());
        }
        return d.value();
    }
}
