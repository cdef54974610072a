package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.Decision;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.DecisionRules;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
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
 * <p>Stateless, because that is what the mode runs on Spark 4.1: each authorization is parsed, joined
 * with its card's and merchant's profiles (a broadcast snapshot, {@link ProfileSnapshot}) and scored
 * on its own, folded into an empty card state, so the per-card features (counts, velocity, amount
 * history) are those of a card's first authorization and its scores are not the job's. The same fold
 * per card through {@code transformWithState} ran under a micro-batch trigger but not here, even
 * with the mode's allowlist check off (decision 25). It also leaves out what the micro-batch scorer leaves out
 * (live merchant risk from labels, detections, late routing; see {@link StreamingScorer}). It exists
 * to measure, not to serve.
 */
public final class RealTimeScorer {

    private static final Encoder<Tuple2<String, byte[]>> DECISION = Encoders.tuple(Encoders.STRING(), Encoders.BINARY());

    /** Runs on core's topics until stopped, checkpointing every {@code checkpointEvery}. */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String line, Duration checkpointEvery,
                                       String checkpoint) throws Exception {
        return start(spark, bootstrap, ScorerTopics.defaults(), line, checkpointEvery, checkpoint);
    }

    /** The same on given topics (tests inject their own); it logs no features (a shadow run compares per-card state). */
    public static StreamingQuery start(SparkSession spark, String bootstrap, ScorerTopics topics, String line,
                                       Duration checkpointEvery, String checkpoint) throws Exception {
        if (topics.features() != null) {
            throw new IllegalArgumentException("the real-time scorer logs no features: it folds no card history to compare");
        }
        String championJson = ScorerStreams.champion(bootstrap, topics.modelUpdates(), line);
        Broadcast<ProfileSnapshot> profiles = ScorerStreams.profiles(spark, bootstrap, topics);
        Dataset<Tuple2<String, byte[]>> decisions = ScorerStreams.authorizations(spark, bootstrap, topics)
                .mapPartitions(new ScoreAlone(championJson, profiles), DECISION);
        return ScorerStreams.decisions(decisions, bootstrap, topics.decisions(), checkpoint)
                .outputMode(OutputMode.Update())
                .trigger(Trigger.RealTime(checkpointEvery.toMillis(), TimeUnit.MILLISECONDS))
                .queryName("vigil-real-time-scorer")
                .start();
    }

    /** Each authorization scored on its own, its card's history left out (see the class comment). */
    static final class ScoreAlone implements MapPartitionsFunction<Row, Tuple2<String, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final String championJson;
        private final Broadcast<ProfileSnapshot> profiles;

        ScoreAlone(String championJson, Broadcast<ProfileSnapshot> profiles) {
            this.championJson = championJson;
            this.profiles = profiles;
        }

        @Override
        public Iterator<Tuple2<String, byte[]>> call(Iterator<Row> rows) {
            ServingModel model = championJson == null ? null : ServingModels.get(championJson);
            ModelScorer scorer = ServingModels.scorer();
            ProfileSnapshot snapshot = profiles.value();
            float[] vector = new float[FeatureSet.SIZE];
            ScorerCardState empty = new ScorerCardState(new CardState()); // cleared for each record: no 1 KB of arrays per authorization
            // Lazily, record by record: a real-time task's input never ends, so nothing may gather it.
            return new Iterator<>() {
                private Tuple2<String, byte[]> next;

                @Override
                public boolean hasNext() {
                    while (next == null && rows.hasNext()) {
                        Row r = rows.next();
                        empty.clear();
                        Decision d = CardDecision.of(r.getString(0), (byte[]) r.get(1), empty, snapshot, model,
                                scorer, DecisionRules.DEFAULTS, vector, WallClock.micros());
                        next = d == null ? null : CardDecision.record(d);
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
