package dev.vigil.batchtraining;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smoke both Spark scorers' ITs run: a small world at 40/s for 4 s through the test kit's harness. */
final class ScorerSmoke {
    private ScorerSmoke() {
    }

    /** Every authorization decided once (no latency asserted), the whole run at 40/s, warm-up included. */
    static void everyAuthorizationDecidedOnce(String engine, String authorizations, String decisions, long seed,
                                              String tag) throws Exception {
        Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                new WorldConfig(seed, 40, LocalDate.of(2024, 5, 1), tag, 1.0), new PanTokenizer(TokenKey.development())))));
        LatencyHarness.Settings s = new LatencyHarness.Settings(engine, RealKafka.bootstrap(), authorizations, decisions,
                40, Duration.ofSeconds(4), Duration.ofSeconds(1), LoadScenario.STEADY, 100, Duration.ofSeconds(60), 40);
        LatencyHarness.awaitEngine(s, source, Duration.ofMinutes(2), System.err::println);
        Result r = LatencyHarness.run(s, source, System.err::println);
        assertTrue(r.expected() >= 150, "40/s for 4 s: " + r.expected());
        assertEquals(0, r.missing());
        assertEquals(0, r.duplicates());
    }
}
