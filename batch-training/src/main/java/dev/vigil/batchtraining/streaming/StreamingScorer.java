package dev.vigil.batchtraining.streaming;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.ServingModel;
import dev.vigil.core.topic.Topic;
import dev.vigil.batchtraining.release.Champions;
import dev.vigil.batchtraining.release.HadoopBlobStore;
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

import java.nio.charset.StandardCharsets;
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
        ModelUpdate champion = Champions.current(bootstrap, modelUpdatesTopic, line).orElse(null);
        String championJson = champion == null ? null
                : new String(ModelUpdateCodec.INSTANCE.encode(champion), StandardCharsets.UTF_8);
        if (champion == null) {
            System.err.println("note: no champion for line " + line + ": decisions are APPROVE with NO_MODEL");
        } else {
            ServingModels.get(championJson); // load (and verify) once on the driver: fail fast on a bad model
            System.err.println("Scoring with " + line + " " + champion.version());
        }
        Dataset<Row> raw = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .options(KafkaClientSecurity.sparkOptions())
                .option("subscribe", authorizationsTopic)
                .option("startingOffsets", "latest")
                .option("failOnDataLoss", "false")
                .load()
                .selectExpr("CAST(key AS STRING) AS card", "value", "offset");
        Dataset<Tuple2<String, byte[]>> decisions = raw
                .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .flatMapGroupsWithState(new ScoreCard(championJson), OutputMode.Append(), Encoders.BINARY(),
                        Encoders.tuple(Encoders.STRING(), Encoders.BINARY()), GroupStateTimeout.NoTimeout());
        return decisions.toDF("key", "value").writeStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .options(KafkaClientSecurity.sparkOptions())
                .option("topic", decisionsTopic)
                .option("kafka.linger.ms", "0")
                .option("checkpointLocation", checkpoint)
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
                Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode((byte[]) r.get(1));
                if (!d.isOk()) {
                    continue; // the Flink job dead-letters these; the comparison sends none
                }
                Authorization a = d.value();
                CardFold.step(s, a, null, null, vector);
                ModelScorer.Outcome o = scorer.score(model, vector);
                long now = WallClock.micros();
                Decision decision = new Decision(a.authorizationId(), card, o.score(), o.action(), o.reasons(),
                        model == null ? null : model.version(), null, s.authCount(), s.lastSeq(), a.eventTimeMs(),
                        now / 1000, Math.max(0, now - receivedMicros));
                out.add(new Tuple2<>(card, DecisionCodec.INSTANCE.encode(decision)));
            }
            state.update(CardStateCodec.encode(s));
            return out.iterator();
        }
    }

    /** The champion, loaded and verified once per JVM (driver or executor), and a scorer per thread. */
    static final class ServingModels {
        private static volatile String loadedJson;
        private static volatile ServingModel loaded;
        private static final ThreadLocal<ModelScorer> SCORERS = ThreadLocal.withInitial(ModelScorer::new);

        static ServingModel get(String championJson) {
            if (!championJson.equals(loadedJson)) {
                synchronized (ServingModels.class) {
                    if (!championJson.equals(loadedJson)) {
                        ModelUpdate u = ModelUpdateCodec.INSTANCE.decode(championJson.getBytes(StandardCharsets.UTF_8)).value();
                        try {
                            loaded = ModelArtifacts.load(u, new HadoopBlobStore(new org.apache.hadoop.conf.Configuration()),
                                    ModelSigning.trustFromEnvironment());
                        } catch (Exception e) {
                            throw new IllegalStateException("champion " + u.version() + " refused: " + e.getMessage(), e);
                        }
                        loadedJson = championJson;
                    }
                }
            }
            return loaded;
        }

        static ModelScorer scorer() {
            return SCORERS.get();
        }
    }

    private StreamingScorer() {
    }
}
