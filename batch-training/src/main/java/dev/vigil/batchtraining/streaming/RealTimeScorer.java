package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import dev.vigil.core.topic.Topic;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import scala.Tuple2;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The decision path on Spark's Real-Time Mode (Spark 4.1, {@code Trigger.RealTime}): one long-running
 * task per Kafka partition, records streamed through rather than gathered into micro-batches. The
 * trigger's duration is how often progress is checkpointed, not a latency target.
 *
 * <p>Stateless, because that is what the mode runs on Spark 4.1: each authorization is parsed and
 * scored on its own, folded into an empty card state, so the per-card features (counts, velocity,
 * amount history) are those of a card's first authorization and its scores are not the job's. The
 * same fold per card through {@code transformWithState} works on micro-batches but not here, even
 * with the mode's allowlist check off (decision 25). It also leaves out what the micro-batch scorer
 * leaves out (profiles, detections, late routing, state expiry; see {@link StreamingScorer}). It
 * exists to measure, not to serve.
 */
public final class RealTimeScorer {

    private static final Encoder<Tuple2<String, byte[]>> DECISION = Encoders.tuple(Encoders.STRING(), Encoders.BINARY());

    /** Runs on core's topics until stopped, checkpointing every {@code checkpointEvery}. */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String line, Duration checkpointEvery,
                                       String checkpoint) throws Exception {
        return start(spark, bootstrap, Topic.AUTHORIZATIONS.topicName(), Topic.DECISIONS.topicName(),
                Topic.MODEL_UPDATES.topicName(), line, checkpointEvery, checkpoint);
    }

    /** The same on given topics (tests inject their own). */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String authorizationsTopic,
                                       String decisionsTopic, String modelUpdatesTopic, String line,
                                       Duration checkpointEvery, String checkpoint) throws Exception {
        String championJson = ScorerStreams.champion(bootstrap, modelUpdatesTopic, line);
        Dataset<Tuple2<String, byte[]>> decisions = ScorerStreams.authorizations(spark, bootstrap, authorizationsTopic)
                .mapPartitions(new ScoreAlone(championJson), DECISION);
        return ScorerStreams.decisions(decisions, bootstrap, decisionsTopic, checkpoint)
                .outputMode(OutputMode.Update())
                .trigger(Trigger.RealTime(checkpointEvery.toMillis(), TimeUnit.MILLISECONDS))
                .queryName("vigil-real-time-scorer")
                .start();
    }
    /** Each authorization scored on its own, its card's history left out (see the class comment). */
    static final class ScoreAlone implements MapPartitionsFunction<Row, Tuple2<String, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final String championJson;

        ScoreAlone(String championJson) {
            this.championJson = championJson;
        }

        @Override
        public Iterator<Tuple2<String, byte[]>> call(Iterator<Row> rows) {
            ServingModel model = championJson == null ? null : ServingModels.get(championJson);
            ModelScorer scorer = ServingModels.scorer();
            float[] vector = new float[FeatureSet.SIZE];
            CardState empty = new CardState(); // cleared for each record: no 1 KB of arrays per authorization
            // Lazily, record by record: a real-time task's input never ends, so nothing may gather it.
            return new Iterator<>() {
                private Tuple2<String, byte[]> next;

                @Override
                public boolean hasNext() {
                    while (next == null && rows.hasNext()) {
                        Row r = rows.next();
                        empty.clear();
                        next = CardDecision.of(r.getString(0), (byte[]) r.get(1), empty, model, scorer, vector,
                                WallClock.micros());
                    }
                    return next != null;
                }

                @Override
                public Tuple2<String, byte[]> next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    Tuple2<String, byte[]> d = next;
                    next = null;
                    return d;
                }
            };
        }
    }

    private RealTimeScorer() {
    }
}
