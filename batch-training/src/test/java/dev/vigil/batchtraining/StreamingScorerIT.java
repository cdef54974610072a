package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.batchtraining.streaming.ScorerTopics;
import dev.vigil.batchtraining.streaming.StreamingScorer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
        StreamingQuery query = StreamingScorer.start(SharedSpark.get(), RealKafka.bootstrap(), ScorerTopics.of(auths, decisions, models),
                "none", 300, FileLocations.of(checkpoint));
        try {
            ScorerSmoke.everyAuthorizationDecidedOnce("spark", auths, decisions, 3, "ss");
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
