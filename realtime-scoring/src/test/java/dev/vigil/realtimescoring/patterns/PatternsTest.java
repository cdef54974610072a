package dev.vigil.realtimescoring.patterns;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.event.CardWatch;
import dev.vigil.core.json.CardWatchCodec;
import dev.vigil.realtimescoring.io.TopicRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each CEP pattern in its own operator harness, in event time as the job runs it: what matches,
 * what does not, and that nothing is left behind once a pattern's window has passed.
 */
class PatternsTest {
    private static final long MIN = 60_000L;

    static KeyedOneInputStreamOperatorTestHarness<String, Authorization, TopicRecord> harness(
            Pattern<Authorization, ?> pattern, String name) throws Exception {
        CepOperator<Authorization, String, TopicRecord> op = new CepOperator<>(
                TypeInformation.of(Authorization.class).createSerializer(new SerializerConfigImpl()), false,
                NFACompiler.compileFactory(pattern, false), null, pattern.getAfterMatchSkipStrategy(),
                new PatternAlerts(name, Duration.ofHours(24).toMillis(), Long.MIN_VALUE, null), null);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(op, Authorization::cardToken, Types.STRING);
        h.open();
        return h;
    }

    static List<Alert> alerts(KeyedOneInputStreamOperatorTestHarness<String, Authorization, TopicRecord> h) {
        var side = h.getSideOutput(PatternAlerts.ALERTS);
        return side == null ? List.of() : side.stream().map(r -> AlertCodec.INSTANCE.decode(r.getValue().value).value()).toList();
    }

    static void send(KeyedOneInputStreamOperatorTestHarness<String, Authorization, TopicRecord> h, Authorization a)
            throws Exception {
        h.processElement(a, a.eventTimeMs());
    }

    static Authorization online(String id, long offset, long cents) {
        return TestData.at(TestData.auth(id, offset, cents), "shop-" + id, "US", Double.NaN, Double.NaN, Channel.ECOMMERCE);
    }

    @Test
    void probesThenACashOutWithinMinutesIsCardTesting() throws Exception {
        var h = harness(Patterns.cardTesting(), Patterns.CARD_TESTING);
        send(h, online("p1", 0, 100));
        send(h, online("p2", 30_000, 250));
        send(h, online("p3", 70_000, 99));
        send(h, online("p4", 100_000, 300));
        send(h, online("cash", 6 * MIN, 120_000));
        assertEquals(List.of(), alerts(h), "event-time CEP waits for the watermark (decisions never do)");
        h.processWatermark(TestData.T0 + 6 * MIN);
        List<Alert> alerts = alerts(h);
        assertEquals(1, alerts.size());
        Alert a = alerts.get(0);
        assertEquals("CARD_TESTING", a.kind());
        assertEquals("cash", a.authorization().authorizationId());
        assertEquals(List.of("cash", "p4", "p3", "p2", "p1"), a.relatedAuthorizationIds());
        assertEquals(Alert.idFor("cash", "CARD_TESTING"), a.alertId());
        TopicRecord out = h.extractOutputValues().get(0);
        CardWatch watch = CardWatchCodec.INSTANCE.decode(out.value).value();
        assertEquals(watch.cardToken(), out.key, "keyed by the card, as the scoring job's state is");
        assertEquals(a.cardToken(), watch.cardToken());
        assertEquals("CARD_TESTING", watch.pattern());
        assertEquals("cash", watch.authorizationId());
        assertEquals(online("cash", 6 * MIN, 120_000).cardSeq(), watch.cardSeq(), "covers the card's authorizations after the match");
        assertEquals(TestData.T0 + 6 * MIN + Duration.ofHours(24).toMillis(), watch.untilMs());
        h.close();
    }

    @Test
    void twoProbesOrAProbeSequenceBrokenByANormalPurchaseOrACashOutTooLateIsNot() throws Exception {
        var h = harness(Patterns.cardTesting(), Patterns.CARD_TESTING);
        send(h, online("p1", 0, 100));
        send(h, online("p2", 10_000, 100));
        send(h, online("cash1", 20_000, 50_000)); // only two probes
        send(h, online("q1", 30_000, 100));
        send(h, online("q2", 40_000, 100));
        send(h, online("groceries", 50_000, 4_500)); // breaks the run
        send(h, online("q3", 60_000, 100));
        send(h, online("cash2", 70_000, 50_000));
        send(h, online("r1", 2 * MIN, 100));
        send(h, online("r2", 2 * MIN + 1, 100));
        send(h, online("r3", 2 * MIN + 2, 100));
        send(h, online("cash3", 40 * MIN, 50_000)); // 40 event-time minutes later
        h.processWatermark(TestData.T0 + 60 * MIN);
        assertEquals(List.of(), alerts(h));
        h.close();
    }

    @Test
    void cardTestingLeavesNoPartialMatchBehind() throws Exception {
        var h = harness(Patterns.cardTesting(), Patterns.CARD_TESTING);
        send(h, online("p1", 0, 100));
        send(h, online("p2", 1_000, 100));
        send(h, online("p3", 2_000, 100));
        h.processWatermark(TestData.T0 + 3_000);
        assertTrue(h.numKeyedStateEntries() > 0, "partial matches are kept while they can still complete");
        assertTrue(h.numEventTimeTimers() > 0);
        h.processWatermark(TestData.T0 + 16 * MIN);
        assertEquals(0, h.numEventTimeTimers(), "no timer outlives the pattern's window");
        assertEquals(0, h.numKeyedStateEntries(), "no state outlives the pattern's window");
        h.close();
    }

    static Authorization present(String id, long offset, double lat, double lon) {
        return TestData.at(TestData.auth(id, offset, 5_000), "m-" + id, "US", lat, lon, Channel.CARD_PRESENT);
    }

    @Test
    void newYorkThenLondonInAnHourIsImpossibleTravelButInTenHoursIsNot() throws Exception {
        var h = harness(Patterns.impossibleTravel(), Patterns.IMPOSSIBLE_TRAVEL);
        send(h, present("nyc1", 0, 40.71, -74.00));
        send(h, present("nyc2", 30 * MIN, 40.75, -73.99)); // across town: fine
        send(h, present("lon1", 90 * MIN, 51.50, -0.12)); // 5,570 km in an hour: impossible
        send(h, present("par1", 11 * 60 * MIN, 48.85, 2.35)); // London to Paris in 9.5 h: fine
        h.processWatermark(TestData.T0 + 11 * 60 * MIN);
        List<Alert> alerts = alerts(h);
        assertEquals(1, alerts.size());
        assertEquals("IMPOSSIBLE_TRAVEL", alerts.get(0).kind());
        assertEquals(List.of("lon1", "nyc2"), alerts.get(0).relatedAuthorizationIds());
        h.processWatermark(TestData.T0 + 24 * 60 * MIN);
        assertEquals(0, h.numEventTimeTimers());
        assertEquals(0, h.numKeyedStateEntries(), "no state outlives the pattern's window");
        h.close();
    }

    @Test
    void onlyPlacedCardPresentAuthorizationsFeedTheTravelPattern() {
        assertTrue(Patterns.placed(present("x", 0, 1, 1)));
        assertEquals(false, Patterns.placed(online("y", 0, 100)));
    }
}
