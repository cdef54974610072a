package dev.vigil.alertapi.alert;

import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.RecentAuthorization;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * Everything an analyst needs to judge one alert: the authorization, the decision and its reasons,
 * the pattern (for a detection), the model version, and the card's recent activity and alerts.
 */
@Serdeable
public record AlertDetail(
        AlertSummary alert,
        @Nullable String pattern,
        AuthorizationView authorization,
        @Nullable DecisionView decision,
        List<String> relatedAuthorizationIds,
        List<RecentView> recentAuthorizations,
        List<AlertSummary> cardAlerts) {

    /** The authorization as an analyst sees it: amounts, merchant, channel; the card masked. */
    @Serdeable
    public record AuthorizationView(String authorizationId, String card, String eventTime, long amountMinor,
                                    String currency, long billingAmountMinor, String billingCurrency,
                                    String merchantId, @Nullable String mcc, @Nullable String merchantCountry,
                                    String channel, String entryMode, @Nullable String hostDecline) {
        static AuthorizationView of(Authorization a, String card) {
            return new AuthorizationView(a.authorizationId(), card, Instant.ofEpochMilli(a.eventTimeMs()).toString(),
                    a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(),
                    a.mcc(), a.merchantCountry(), a.channel().name(), a.entryMode().name(), a.hostDecline());
        }
    }

    @Serdeable
    public record DecisionView(@Nullable Float score, String action, List<String> reasons,
                               @Nullable String modelVersion, @Nullable String profileAsOf, String decidedAt,
                               long processingMicros) {
        static DecisionView of(Decision d) {
            return d == null ? null : new DecisionView(AlertSummary.scoreOf(d), d.action().name(), d.reasons(),
                    d.modelVersion(), d.profileAsOf(), Instant.ofEpochMilli(d.decidedAtMs()).toString(),
                    d.processingMicros());
        }
    }

    @Serdeable
    public record RecentView(String authorizationId, String eventTime, long billingAmountMinor,
                             String billingCurrency, String merchantId, @Nullable String mcc,
                             @Nullable String merchantCountry, String channel, @Nullable String hostDecline) {
        public static RecentView of(RecentAuthorization r) {
            return new RecentView(r.authorizationId(), Instant.ofEpochMilli(r.eventTimeMs()).toString(),
                    r.billingAmountMinor(), r.billingCurrency(), r.merchantId(), r.mcc(), r.merchantCountry(),
                    r.channel().name(), r.hostDecline());
        }
    }

    static AlertDetail of(AlertSummary summary, Alert alert, List<AlertSummary> cardAlerts) {
        boolean model = alert.kind().startsWith("MODEL_");
        return new AlertDetail(summary, model ? null : alert.kind(),
                AuthorizationView.of(alert.authorization(), summary.card()), DecisionView.of(alert.decision()),
                alert.relatedAuthorizationIds(), alert.recent().stream().map(RecentView::of).toList(), cardAlerts);
    }
}
