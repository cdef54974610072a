package dev.vigil.alertapi.ingest;

import dev.vigil.alertapi.Alerts;
import dev.vigil.core.event.Alert;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoveredAuthorizationsTest {

    @Test
    void aPatternCoversItsTriggerAndProbesWithTheirOwnTimes() {
        Alert a = Alerts.pattern("tok_card", "CARD_TESTING", "trigger", List.of("p1", "p2"), 1_000_000);
        Map<String, AlertWriter.Covered> covered = AlertWriter.covered(a);
        assertEquals(List.of("trigger", "p1", "p2"), List.copyOf(covered.keySet()));
        assertEquals(1_000_000 - 60_000, covered.get("p1").eventTimeMs());
        assertEquals(1_000_000 - 59_000, covered.get("p2").eventTimeMs());
        assertEquals(a.authorization().merchantId(), covered.get("trigger").merchantId());
        assertEquals(a.recent().get(1).merchantId(), covered.get("p1").merchantId());
    }

    @Test
    void anInvolvedAuthorizationOutsideTheSnapshotTakesTheTriggersTime() {
        Alert base = Alerts.pattern("tok_card", "VELOCITY", "t", List.of(), 5_000_000);
        Alert a = new Alert(base.alertId(), base.kind(), base.cardToken(), base.createdAtMs(), base.authorization(),
                null, List.of("old-one", "t"), base.recent());
        assertEquals(base.authorization().eventTimeMs(), AlertWriter.covered(a).get("old-one").eventTimeMs());
        assertEquals(null, AlertWriter.covered(a).get("old-one").merchantId(), "its merchant is not known");
        assertEquals(2, AlertWriter.covered(a).size());
    }
}
