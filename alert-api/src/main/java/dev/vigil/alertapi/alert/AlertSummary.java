package dev.vigil.alertapi.alert;

import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Decision;
import dev.vigil.core.token.CardDisplay;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One row of the alert queue. The card is shown as {@link CardDisplay} (BIN and last four at most);
 * the token is there to filter by and to open the card's timeline.
 */
@Serdeable
public record AlertSummary(
        String alertId,
        String kind,
        String cardToken,
        String card,
        String authorizationId,
        String createdAt,
        String eventTime,
        @Nullable Float score,
        @Nullable String action,
        @Nullable String modelVersion,
        long amountMinor,
        String currency,
        String merchantId,
        @Nullable String merchantCountry,
        String status,
        long caseId) {

    /** The columns {@link #from(ResultSet)} reads, in a form to put after SELECT. */
    public static final String COLUMNS = "alert_id, kind, card_token, card_display, authorization_id, created_at, "
            + "event_time, score, action, model_version, amount_minor, currency, merchant_id, merchant_country, "
            + "status, case_id";

    public static AlertSummary from(ResultSet rs) throws SQLException {
        float score = rs.getFloat("score");
        boolean noScore = rs.wasNull();
        return new AlertSummary(rs.getString("alert_id"), rs.getString("kind"), rs.getString("card_token"),
                rs.getString("card_display"), rs.getString("authorization_id"),
                rs.getTimestamp("created_at").toInstant().toString(),
                rs.getTimestamp("event_time").toInstant().toString(), noScore ? null : score,
                rs.getString("action"), rs.getString("model_version"), rs.getLong("amount_minor"),
                rs.getString("currency"), rs.getString("merchant_id"), rs.getString("merchant_country"),
                rs.getString("status"), rs.getLong("case_id"));
    }

    /** The summary of an alert just stored in case {@code caseId}, as the live queue shows it. */
    public static AlertSummary of(Alert alert, long caseId) {
        var a = alert.authorization();
        Decision d = alert.decision();
        return new AlertSummary(alert.alertId(), alert.kind(), alert.cardToken(), cardOf(alert),
                a.authorizationId(), Instant.ofEpochMilli(alert.createdAtMs()).toString(),
                Instant.ofEpochMilli(a.eventTimeMs()).toString(), scoreOf(d),
                d == null ? null : d.action().name(), d == null ? null : d.modelVersion(), a.amountMinor(),
                a.currency(), a.merchantId(), a.merchantCountry(), "OPEN", caseId);
    }

    public static String cardOf(Alert alert) {
        var a = alert.authorization();
        return CardDisplay.of(a.bin(), a.last4(), a.panLength(), alert.cardToken());
    }

    /** The model's score, or null when no model scored it (no decision, or NaN: no champion yet). */
    public static Float scoreOf(Decision d) {
        return d == null || Float.isNaN(d.score()) ? null : d.score();
    }
}
