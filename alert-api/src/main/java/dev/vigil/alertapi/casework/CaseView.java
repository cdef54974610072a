package dev.vigil.alertapi.casework;

import dev.vigil.alertapi.alert.AlertSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A case: one card's alerts, who works it, and how it ended. */
@Serdeable
public record CaseView(long caseId, String cardToken, String card, String status, @Nullable String assignee,
                       String openedAt, String lastAlertAt, int alertCount, @Nullable String verdict,
                       @Nullable String resolvedBy, @Nullable String resolvedAt,
                       @Nullable List<AlertSummary> alerts, @Nullable List<Note> notes) {

    @Serdeable
    public record Note(long noteId, String author, String body, String createdAt) {
    }

    CaseView with(List<AlertSummary> alerts, List<Note> notes) {
        return new CaseView(caseId, cardToken, card, status, assignee, openedAt, lastAlertAt, alertCount, verdict,
                resolvedBy, resolvedAt, alerts, notes);
    }
}
