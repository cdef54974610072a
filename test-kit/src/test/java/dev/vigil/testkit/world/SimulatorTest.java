package dev.vigil.testkit.world;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest {
    private static final PanTokenizer TOKENIZER = new PanTokenizer(TokenKey.development());

    private static List<DayTraffic> days(WorldConfig config, int n) {
        Simulator sim = new Simulator(new World(config, TOKENIZER));
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> sim.next()).toList();
    }

    @Test
    void theSameSeedGivesTheSameTrafficAndAnotherSeedDoesNot() {
        WorldConfig config = WorldConfig.of(7, 500, LocalDate.of(2024, 5, 1));
        List<DayTraffic> a = days(config, 3), b = days(config, 3);
        assertEquals(a, b);
        assertNotEquals(a, days(WorldConfig.of(8, 500, LocalDate.of(2024, 5, 1)), 3));
    }

    @Test
    void everyScenarioHappensWithGroundTruthAndEveryRecordIsValid() {
        WorldConfig config = new WorldConfig(11, 2_000, LocalDate.of(2024, 5, 1), "t", 40.0);
        Map<Scenario, Integer> seen = new EnumMap<>(Scenario.class);
        Map<String, Long> lastSeq = new HashMap<>();
        Set<String> ids = new HashSet<>();
        Set<String> fraudApprovedByHost = new HashSet<>();
        Set<String> declinedFraud = new HashSet<>();
        long previousArrival = Long.MIN_VALUE;
        List<Label> labels = new java.util.ArrayList<>();
        for (DayTraffic day : days(config, 25)) {
            long dayStart = day.date().toEpochDay() * 86_400_000L;
            for (Generated g : day.authorizations()) {
                Authorization a = g.authorization();
                assertTrue(AuthorizationCodec.INSTANCE.decode(AuthorizationCodec.INSTANCE.encode(a)).isOk(), a::toString);
                assertTrue(ids.add(a.authorizationId()), "ids are unique");
                assertTrue(g.arrivalMs() >= previousArrival, "records come in arrival order");
                previousArrival = g.arrivalMs();
                assertTrue(a.eventTimeMs() >= dayStart && a.eventTimeMs() < dayStart + 86_400_000L);
                long expected = lastSeq.getOrDefault(a.cardToken(), 0L) + 1;
                assertEquals(expected, a.cardSeq(), "per-card sequence numbers follow arrival order");
                lastSeq.put(a.cardToken(), a.cardSeq());
                if (g.fraud()) {
                    seen.merge(g.scenario(), 1, Integer::sum);
                    (a.declinedByHost() ? declinedFraud : fraudApprovedByHost).add(a.authorizationId());
                }
            }
            labels.addAll(day.chargebacks());
        }
        assertEquals(Set.of(Scenario.values()), seen.keySet(), "every scenario occurs: " + seen);
        for (Label l : labels) {
            assertTrue(l.fraud());
            assertTrue(l.labelTimeMs() >= l.eventTimeMs() + 2 * 86_400_000L - 1, "chargebacks come days later");
            assertFalse(declinedFraud.contains(l.authorizationId()), "declined authorizations never get chargebacks");
        }
        long chargedBack = labels.stream().filter(l -> fraudApprovedByHost.contains(l.authorizationId())).count();
        assertTrue(chargedBack > 0.85 * fraudApprovedByHost.size() && chargedBack <= fraudApprovedByHost.size(),
                chargedBack + " of " + fraudApprovedByHost.size());
    }

    @Test
    void cardTestingLooksLikeProbesThenABigPurchase() {
        WorldConfig config = new WorldConfig(3, 1_000, LocalDate.of(2024, 5, 1), "t", 60.0);
        Map<String, List<Authorization>> byCard = new HashMap<>();
        for (DayTraffic day : days(config, 5)) {
            for (Generated g : day.authorizations()) {
                if (g.scenario() == Scenario.CARD_TESTING) {
                    byCard.computeIfAbsent(g.authorization().cardToken(), k -> new java.util.ArrayList<>())
                            .add(g.authorization());
                }
            }
        }
        assertFalse(byCard.isEmpty());
        for (List<Authorization> episode : byCard.values()) {
            assertTrue(episode.get(0).billingAmountMinor() < 500 * 150, "starts with a probe");
            Authorization last = episode.get(episode.size() - 1);
            long span = last.eventTimeMs() - episode.get(0).eventTimeMs();
            assertTrue(span < 86_400_000L, "within a day");
        }
    }
}
