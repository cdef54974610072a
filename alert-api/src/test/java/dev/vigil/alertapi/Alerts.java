package dev.vigil.alertapi;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.RecentAuthorization;
import dev.vigil.core.json.AlertCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Alerts as realtime-scoring emits them, for feeding the service through Kafka. */
public final class Alerts {
    private Alerts() {
    }

    public static String newCard() {
        // A token's shape: base64url of 32 random bytes, 43 characters, as PanTokenizer makes them.
        byte[] bytes = new byte[32];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static Authorization authorization(String card, String id, long eventTimeMs, long amountMinor) {
        return new Authorization(id, card, "dev", "411111", "1111", 16, amountMinor, "USD", amountMinor, "USD",
                "merchant-7", "5411", "US", 40.7, -74.0, -300, Channel.ECOMMERCE, EntryMode.ECOMMERCE, null,
                eventTimeMs, 1, null, null);
    }

    /** A REVIEW/DECLINE alert of the model for one authorization. */
    public static Alert model(String card, String authorizationId, long atMs, float score, Action action) {
        Authorization a = authorization(card, authorizationId, atMs - 40, 12_500);
        String kind = action == Action.DECLINE ? "MODEL_DECLINE" : "MODEL_REVIEW";
        Decision d = new Decision(authorizationId, card, score, action, List.of("amount_vs_card_p95", "new_merchant"),
                "v20240301-7", "2024-03-01", 3, 1, a.eventTimeMs(), atMs, 850);
        return new Alert(Alert.idFor(authorizationId, kind), kind, card, atMs, a, d, List.of(authorizationId),
                List.of(RecentAuthorization.of(a)));
    }

    /** A pattern alert (e.g. CARD_TESTING) completed by {@code trigger}, involving {@code probes} before it. */
    public static Alert pattern(String card, String kind, String trigger, List<String> probes, long atMs) {
        Authorization a = authorization(card, trigger, atMs - 10, 95_000);
        List<RecentAuthorization> recent = new ArrayList<>();
        recent.add(RecentAuthorization.of(a));
        List<String> related = new ArrayList<>(probes);
        related.add(trigger);
        for (int i = 0; i < probes.size(); i++) {
            recent.add(RecentAuthorization.of(authorization(card, probes.get(i), atMs - 60_000 + i * 1000L, 100)));
        }
        return new Alert(Alert.idFor(trigger, kind), kind, card, atMs, a, null, related, recent);
    }

    public static Map.Entry<String, byte[]> record(Alert alert) {
        return Map.entry(alert.cardToken(), AlertCodec.INSTANCE.encode(alert));
    }
}
