package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.batchtraining.streaming.StreamingScorer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark Structured Streaming scorer under the test kit's latency harness, against the real broker: every
 * authorization decided once, and each card's state carried across micro-batches (its decisions
 * count 1, 2, 3, ... in arrival order). No latency is asserted.
 */
class StreamingScorerIT {

    @Test
    void decidesEveryAuthorizationOnceCarryingCardStateAcrossMicroBatches(@TempDir Path checkpoint) throws Exception {
        String auths = RealKafka.newTopic("ss-auth", 2);
        String decisions = RealKafka.newTopic("ss-dec", 2);
        String models = RealKafka.newTopic("ss-models", 1);
        StreamingQuery query = StreamingScorer.start(SharedSpark.get(), RealKafka.bootstrap(), auths, decisions, models,
                "none", 300, FileLocations.of(checkpoint));
        try {
            Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                    new WorldConfig(3, 40, LocalDate.of(2024, 5, 1), "ss", 1.0), new PanTokenizer(TokenKey.development())))));
            LatencyHarness.Settings s = new LatencyHarness.Settings("spark", RealKafka.bootstrap(), auths, decisions, 40,
                    Duration.ofSeconds(4), Duration.ofSeconds(1), LoadScenario.STEADY, 100, Duration.ofSeconds(60),
                    40); // the whole run at 40/s, warm-up included
            LatencyHarness.awaitEngine(s, source, Duration.ofMinutes(2), System.err::println);
            Result r = LatencyHarness.run(s, source, System.err::println);
            assertTrue(r.expected() >= 150, "40/s for 4 s: " + r.expected());
            assertEquals(0, r.missing());
            assertEquals(0, r.duplicates());
        } finally {
            query.stop();
        }

        Map<String, List<Long>> countsByCard = new HashMap<>();
        for (ConsumerRecord<String, byte[]> rec : RealKafka.readAll(decisions, Integer.MAX_VALUE, Duration.ofSeconds(8))) {
            Decision d = DecisionCodec.INSTANCE.decode(rec.value()).value();
            assertEquals(Action.APPROVE, d.action(), "no champion: APPROVE");
            assertEquals(List.of("NO_MODEL"), d.reasons());
            countsByCard.computeIfAbsent(d.cardToken(), k -> new ArrayList<>()).add(d.cardAuthCount());
        }
        assertTrue(countsByCard.size() > 10, "many cards: " + countsByCard.size());
        assertTrue(countsByCard.values().stream().mapToInt(List::size).sum() >= 150, "all decisions read");
        for (Map.Entry<String, List<Long>> e : countsByCard.entrySet()) {
            List<Long> counts = e.getValue();
            for (int i = 0; i < counts.size(); i++) {
                assertEquals(i + 1, counts.get(i), "card " + e.getKey() + " counts " + counts);
            }
        }
    }
}
