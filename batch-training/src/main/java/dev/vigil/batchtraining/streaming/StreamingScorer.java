package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.model.ServingModel;
import dev.vigil.core.topic.Topic;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same work as the Flink job's decision path, on Spark Structured Streaming, for the latency
 * comparison of the load-test suite: authorizations from Kafka, grouped by card, each folded into
 * the card's state with {@code core}'s fold, scored by the line's champion through
 * {@link ModelScorer}, decisions to Kafka. Micro-batches on a processing-time trigger (500 ms by
 * default, as in the usual comparisons): that trigger is the floor of its latency.
 *
 * <p>What it leaves out, on purpose: profiles (none are joined, so features that use them are
 * missing), detections and watches, late routing and state expiry. It exists to measure, not to
 * serve. The champion is read with Hadoop's default configuration on each JVM, so its folder must be
 * on {@code file://} (or a store those defaults reach), as the load-test's models are.
 */
public final class StreamingScorer {

    /** Runs on core's topics until stopped; {@code trigger} in milliseconds. */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String line, long triggerMs,
                                       String checkpoint) throws Exception {
        return start(spark, bootstrap, Topic.AUTHORIZATIONS.topicName(), Topic.DECISIONS.topicName(),
                Topic.MODEL_UPDATES.topicName(), line, triggerMs, checkpoint);
    }

    /** The same on given topics (tests inject their own). */
    public static StreamingQuery start(SparkSession spark, String bootstrap, String authorizationsTopic,
                                       String decisionsTopic, String modelUpdatesTopic, String line, long triggerMs,
                                       String checkpoint) throws Exception {
        String championJson = ScorerStreams.champion(bootstrap, modelUpdatesTopic, line);
        Dataset<Tuple2<String, byte[]>> decisions = ScorerStreams.authorizations(spark, bootstrap, authorizationsTopic)
                .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState(new ScoreCard(championJson), OutputMode.Append(), Encoders.BINARY(),
                        Encoders.tuple(Encoders.STRING(), Encoders.BINARY()), GroupStateTimeout.NoTimeout());
        return ScorerStreams.decisions(decisions, bootstrap, decisionsTopic, checkpoint)
                .outputMode(OutputMode.Append())
                .trigger(Trigger.ProcessingTime(triggerMs, TimeUnit.MILLISECONDS))
                .queryName("vigil-streaming-scorer")
                .start();
    }

    /** One card's new authorizations in a micro-batch, in offset order, through the fold and the model. */
    static final class ScoreCard implements FlatMapGroupsWithStateFunction<String, Row, byte[], Tuple2<String, byte[]>> {
        private static final long serialVersionUID = 1L;
        private final String championJson;

        ScoreCard(String championJson) {
            this.championJson = championJson;
        }

        @Override
        public Iterator<Tuple2<String, byte[]>> call(String card, Iterator<Row> rows, GroupState<byte[]> state) {
            long receivedMicros = WallClock.micros();
            List<Row> batch = new ArrayList<>();
            rows.forEachRemaining(batch::add);
            batch.sort(Comparator.comparingLong(r -> r.getLong(2)));
            CardState s = state.exists() ? CardStateCodec.decode(state.get()) : new CardState();
            ServingModel model = championJson == null ? null : ServingModels.get(championJson);
            ModelScorer scorer = ServingModels.scorer();
            float[] vector = new float[FeatureSet.SIZE];
            List<Tuple2<String, byte[]>> out = new ArrayList<>(batch.size());
            for (Row r : batch) {
                Tuple2<String, byte[]> decision = CardDecision.of(card, (byte[]) r.get(1), s, model, scorer, vector, receivedMicros);
                if (decision != null) {
                    out.add(decision);
                }
            }
            state.update(CardStateCodec.encode(s));
            return out.iterator();
        }
    }

    private StreamingScorer() {
    }
}
