package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.Decision;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.model.DecisionRules;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import scala.Tuple3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same work as the Flink job's decision path, on Spark Structured Streaming, for the latency
 * comparison of the load-test suite: authorizations from Kafka, grouped by card, each folded into
 * the card's state with {@code core}'s fold, scored by the line's champion through
 * {@link ModelScorer}, core's rules and the card's watch applied ({@code DecisionRules}), decisions
 * to Kafka. Micro-batches on a processing-time trigger (500 ms by default): that trigger is the
 * floor of its latency. The shadow run compares its decisions and
 * features with the job's, one authorization at a time.
 *
 * The card and merchant profiles are those the topics held when it started ({@link ProfileSnapshot}).
 *
 * <p>What it leaves out, on purpose: the merchants' live risk from labels (no labels are read, so the
 * features that use it are missing), the detections and their watches, late routing, and profiles
 * published after it started. It exists to measure and to compare, not to serve. The champion is read with Hadoop's default configuration on each JVM, so its folder must be
 * on {@code file://} (or a store those defaults reach), as the load-test's models are.
 */
public final class StreamingScorer {

    /** Runs on core's topics until stopped; {@code trigger} in milliseconds. */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String line, long triggerMs,
                                       String checkpoint) throws Exception {
        return start(spark, bootstrap, ScorerTopics.defaults(), line, triggerMs, checkpoint);
    }

    /**
     * The same on given topics (tests inject their own). Every record names its topic, so that a
     * shadow run's feature-log lines leave through the same sink as the decisions they explain.
     */
    public static StreamingQuery start(SparkSession spark, String bootstrap, ScorerTopics topics, String line,
                                       long triggerMs, String checkpoint) throws Exception {
        String championJson = ScorerStreams.champion(bootstrap, topics.modelUpdates(), line);
        Broadcast<ProfileSnapshot> profiles = ScorerStreams.profiles(spark, bootstrap, topics);
        Dataset<Tuple3<String, String, byte[]>> records = ScorerStreams.authorizations(spark, bootstrap, topics)
                .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState(new ScoreCard(championJson, profiles, topics.decisions(), topics.features()),
                        OutputMode.Append(), Encoders.BINARY(),
                        Encoders.tuple(Encoders.STRING(), Encoders.STRING(), Encoders.BINARY()), GroupStateTimeout.NoTimeout());
        return ScorerStreams.records(records, bootstrap, checkpoint)
                .outputMode(OutputMode.Append())
                .trigger(Trigger.ProcessingTime(triggerMs, TimeUnit.MILLISECONDS))
                .queryName("vigil-streaming-scorer")
                .start();
    }

    /**
     * One card's new authorizations in a micro-batch, in offset order, through the fold and the model:
     * {topic, key, value} records, each decision (keyed by card) followed, when a features topic is
     * given, by its feature-log line (keyed by authorization id).
     */
    static final class ScoreCard
            implements FlatMapGroupsWithStateFunction<String, Row, byte[], Tuple3<String, String, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final String championJson;
        private final Broadcast<ProfileSnapshot> profiles;
        private final String decisionsTopic;
        private final String featuresTopic;

        ScoreCard(String championJson, Broadcast<ProfileSnapshot> profiles, String decisionsTopic, String featuresTopic) {
            this.championJson = championJson;
            this.profiles = profiles;
            this.decisionsTopic = decisionsTopic;
            this.featuresTopic = featuresTopic;
        }

        @Override
        public Iterator<Tuple3<String, String, byte[]>> call(String card, Iterator<Row> rows, GroupState<byte[]> state) {
            long receivedMicros = WallClock.micros();
            List<Row> batch = new ArrayList<>();
            rows.forEachRemaining(batch::add);
            batch.sort(Comparator.comparingLong(r -> r.getLong(2)));
            ScorerCardState s = state.exists() ? ScorerCardState.decode(state.get()) : new ScorerCardState(new CardState());
            ServingModel model = championJson == null ? null : ServingModels.get(championJson);
            ModelScorer scorer = ServingModels.scorer();
            float[] vector = new float[FeatureSet.SIZE];
            List<Tuple3<String, String, byte[]>> out = new ArrayList<>(batch.size());
            for (Row r : batch) {
                Decision d = CardDecision.of(card, (byte[]) r.get(1), s, profiles.value(), model, scorer,
                        DecisionRules.DEFAULTS, vector, receivedMicros);
                if (d == null) {
                    continue;
                }
                out.add(new Tuple3<>(decisionsTopic, card, DecisionCodec.INSTANCE.encode(d)));
                if (featuresTopic != null) {
                    out.add(new Tuple3<>(featuresTopic, d.authorizationId(),
                            FeatureLog.line(d.authorizationId(), d.score(), vector)));
                }
            }
            state.update(s.encode());
            return out.iterator();
        }
    }

    private StreamingScorer() {
    }
}
