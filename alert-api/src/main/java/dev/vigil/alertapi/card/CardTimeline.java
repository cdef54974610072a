package dev.vigil.alertapi.card;

import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.alert.AlertDetail;
import dev.vigil.alertapi.alert.AlertQueries;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.RecentAuthorization;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A card's story as this service knows it, newest first: the authorizations its alerts carried (the
 * trigger and each alert's snapshot of recent activity), the alerts, and what analysts did (notes,
 * verdicts). The service sees only what alerts bring, so quiet stretches of the card are not here.
 */
@Singleton
public class CardTimeline {
    static final int ALERTS = 100;

    @Serdeable
    public record Entry(String at, String type, String summary, @Nullable String authorizationId,
                        @Nullable String alertId, @Nullable Long caseId) {
    }

    @Serdeable
    public record Timeline(String cardToken, @Nullable String card, List<Entry> entries,
                           List<AlertDetail.RecentView> authorizations) {
    }

    private final Db db;
    private final AlertQueries alerts;

    public CardTimeline(Db db, AlertQueries alerts) {
        this.db = db;
        this.alerts = alerts;
    }

    public Timeline of(String cardToken) {
        return db.read(c -> {
            List<Alert> stored = alerts.fullAlertsOfCard(c, cardToken, ALERTS);
            List<Entry> entries = new ArrayList<>();
            Map<String, RecentAuthorization> authorizations = new LinkedHashMap<>();
            String card = null;
            for (Alert a : stored) {
                if (card == null) {
                    card = dev.vigil.alertapi.alert.AlertSummary.cardOf(a);
                }
                authorizations.putIfAbsent(a.authorization().authorizationId(), RecentAuthorization.of(a.authorization()));
                for (RecentAuthorization r : a.recent()) {
                    authorizations.putIfAbsent(r.authorizationId(), r);
                }
                entries.add(new Entry(Instant.ofEpochMilli(a.createdAtMs()).toString(), "ALERT", a.kind(),
                        a.authorization().authorizationId(), a.alertId(), null));
            }
            for (RecentAuthorization r : authorizations.values()) {
                entries.add(new Entry(Instant.ofEpochMilli(r.eventTimeMs()).toString(), "AUTHORIZATION",
                        String.format("%d %s at %s (%s)%s", r.billingAmountMinor(), r.billingCurrency(),
                                r.merchantId(), r.channel(), r.hostDecline() == null ? "" : " declined by host: "
                                        + r.hostDecline()), r.authorizationId(), null, null));
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT n.case_id, n.author, n.body, n.created_at FROM case_notes n
                    JOIN cases k ON k.case_id = n.case_id WHERE k.card_token = ? ORDER BY n.note_id DESC LIMIT 200""")) {
                ps.setString(1, cardToken);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(Db.iso(rs.getTimestamp(4)), "NOTE", rs.getString(2) + ": " + rs.getString(3),
                                null, null, rs.getLong(1)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT case_id, verdict, resolved_by, resolved_at FROM cases
                    WHERE card_token = ? AND status = 'RESOLVED' ORDER BY resolved_at DESC LIMIT 100""")) {
                ps.setString(1, cardToken);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(Db.iso(rs.getTimestamp(4)), "VERDICT",
                                rs.getString(2) + " by " + rs.getString(3), null, null, rs.getLong(1)));
                    }
                }
            }
            entries.sort(Comparator.comparing(Entry::at).reversed());
            List<AlertDetail.RecentView> auths = authorizations.values().stream()
                    .sorted(Comparator.comparingLong(RecentAuthorization::eventTimeMs).reversed())
                    .map(AlertDetail.RecentView::of).toList();
            return new Timeline(cardToken, card, entries, auths);
        });
    }
}
