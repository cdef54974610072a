package dev.vigil.batchtraining;

import dev.vigil.batchtraining.streaming.RealTimeScorer;
import dev.vigil.batchtraining.streaming.ScorerTopics;
import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.testkit.kafka.RealKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
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
        StreamingQuery query = RealTimeScorer.start(SharedSpark.get(), RealKafka.bootstrap(), ScorerTopics.of(auths, decisions, models),
                "none", Duration.ofSeconds(5), FileLocations.of(checkpoint));
        try {
            ScorerSmoke.everyAuthorizationDecidedOnce("spark-rtm", auths, decisions, 5, "rtm");
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
