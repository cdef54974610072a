package dev.vigil.realtimescoring.patterns;

import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardWatch;
import dev.vigil.core.event.RecentAuthorization;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.CardWatchCodec;
import dev.vigil.realtimescoring.io.TopicRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a pattern match into an alert (side output, for analysts) and a watch on the card (main
 * output, for the {@code card-watches} topic, which the scoring job reads). The match cannot change
 * the decision of the authorization that completed it: that decision is already made; the watch
 * applies to the card's later ones.
 */
public class PatternAlerts extends PatternProcessFunction<Authorization, TopicRecord> {
    public static final OutputTag<TopicRecord> ALERTS = new OutputTag<>("pattern-alerts", TypeInformation.of(TopicRecord.class));

    private final String pattern;
    private final long watchMs;
    private final long alertsFromMs;
    private final String cardKeyId;

    /**
     * {@code alertsFromMs}: a match completed before it puts the card on watch but raises no alert.
     * {@code cardKeyId}: the key whose token keys card state, so the watch reaches the card's state.
     */
    public PatternAlerts(String pattern, long watchMs, long alertsFromMs, String cardKeyId) {
        this.pattern = pattern;
        this.watchMs = watchMs;
        this.alertsFromMs = alertsFromMs;
        this.cardKeyId = cardKeyId;
    }

    @Override
    public void processMatch(Map<String, List<Authorization>> match, Context ctx, Collector<TopicRecord> out) {
        List<Authorization> all = new ArrayList<>();
        match.values().forEach(all::addAll);
        all.sort((x, y) -> Long.compare(x.cardSeq(), y.cardSeq()));
        Authorization last = all.get(all.size() - 1);
        List<String> ids = new ArrayList<>(all.size());
        List<RecentAuthorization> recent = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            ids.add(all.get(i).authorizationId());
            if (recent.size() < AlertCodec.MAX_RECENT) {
                recent.add(RecentAuthorization.of(all.get(i)));
            }
        }
        if (ids.size() > AlertCodec.MAX_RELATED) {
            ids = ids.subList(0, AlertCodec.MAX_RELATED);
        }
        Alert alert = new Alert(Alert.idFor(last.authorizationId(), pattern), pattern, last.cardToken(),
                System.currentTimeMillis(), last, null, ids, recent);
        if (last.eventTimeMs() >= alertsFromMs) {
            ctx.output(ALERTS, TopicRecord.of(last.cardToken(), AlertCodec.INSTANCE.encode(alert)));
        }
        String card = last.tokenUnder(cardKeyId);
        out.collect(TopicRecord.of(card, CardWatchCodec.INSTANCE.encode(
                new CardWatch(card, pattern, last.eventTimeMs() + watchMs, last.authorizationId(), last.cardSeq()))));
    }
}
