package dev.vigil.batchtraining;

import dev.vigil.batchtraining.streaming.RealTimeScorer;
import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Real-Time Mode scorer in the shape Spark 4.1 supports (stateless), under the test kit's latency
 * harness against the real broker: every authorization decided once, each as a card's first (no
 * history is kept). The topics have two partitions, so the query's two never-ending tasks fit the
 * shared session's two slots. No latency is asserted.
 */
class RealTimeScorerIT {

    @Test
    void decidesEveryAuthorizationOnceEachOnItsOwn(@TempDir Path checkpoint) throws Exception {
        String auths = RealKafka.newTopic("rtm-auth", 2);
        String decisions = RealKafka.newTopic("rtm-dec", 2);
        String models = RealKafka.newTopic("rtm-models", 1);
        StreamingQuery query = RealTimeScorer.start(SharedSpark.get(), RealKafka.bootstrap(), auths, decisions, models,
                "none", Duration.ofSeconds(5), FileLocations.of(checkpoint));
        try {
            Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                    new WorldConfig(5, 40, LocalDate.of(2024, 5, 1), "rtm", 1.0), new PanTokenizer(TokenKey.development())))));
            LatencyHarness.Settings s = new LatencyHarness.Settings("spark-rtm", RealKafka.bootstrap(), auths,
                    decisions, 40, Duration.ofSeconds(4), Duration.ofSeconds(1), LoadScenario.STEADY, 100,
                    Duration.ofSeconds(60), 40);
            LatencyHarness.awaitEngine(s, source, Duration.ofMinutes(2), System.err::println);
            Result r = LatencyHarness.run(s, source, System.err::println);
            assertTrue(r.expected() >= 150, "40/s for 4 s: " + r.expected());
            assertEquals(0, r.missing());
            assertEquals(0, r.duplicates());
        } finally {
            query.stop();
        }
        List<ConsumerRecord<String, byte[]>> all = RealKafka.readAll(decisions, Integer.MAX_VALUE, Duration.ofSeconds(8));
        assertTrue(all.size() >= 150, "all decisions read: " + all.size());
        for (ConsumerRecord<String, byte[]> rec : all) {
            Decision d = DecisionCodec.INSTANCE.decode(rec.value()).value();
            assertEquals(Action.APPROVE, d.action(), "no champion: APPROVE");
            assertEquals(1, d.cardAuthCount(), "no card history in the stateless shape");
            assertEquals(rec.key(), d.cardToken(), "keyed by card");
        }
    }
}
