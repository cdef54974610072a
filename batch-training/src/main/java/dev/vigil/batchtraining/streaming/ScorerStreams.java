package dev.vigil.batchtraining.streaming;

import dev.vigil.batchtraining.release.Champions;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.topic.KafkaClientSecurity;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import scala.Tuple2;
import scala.Tuple3;

import java.nio.charset.StandardCharsets;

/** What both Spark scorers read and write: the champion, the profiles, the authorizations topic, the decisions topic. */
final class ScorerStreams {
    private ScorerStreams() {
    }

    /**
     * The line's champion as its model-updates record (JSON, shipped to the executors with the
     * function), loaded and verified once here so that a bad model fails the start; null when the
     * line has none (every decision is then APPROVE with NO_MODEL).
     */
    static String champion(String bootstrap, String modelUpdatesTopic, String line) {
        ModelUpdate champion = Champions.current(bootstrap, modelUpdatesTopic, line).orElse(null);
        if (champion == null) {
            System.err.println("note: no champion for line " + line + ": decisions are APPROVE with NO_MODEL");
            return null;
        }
        String json = new String(ModelUpdateCodec.INSTANCE.encode(champion), StandardCharsets.UTF_8);
        ServingModels.get(json);
        System.err.println("Scoring with " + line + " " + champion.version());
        return json;
    }

    /** The profiles both topics hold now, broadcast to the executors (see {@link ProfileSnapshot}). */
    static Broadcast<ProfileSnapshot> profiles(SparkSession spark, String bootstrap, ScorerTopics topics) {
        ProfileSnapshot snapshot = ProfileSnapshot.read(bootstrap, topics.cardProfiles(), topics.merchantProfiles());
        System.err.printf("Profiles: %,d cards and %,d merchants (%s and %s as they are now)%n", snapshot.cards(),
                snapshot.merchants(), topics.cardProfiles(), topics.merchantProfiles());
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(snapshot);
    }

    /**
     * The authorizations from {@code topics.startAtMs()} on (from the newest offset when 0, or when no
     * record is that new yet): card (the record key), value, offset.
     */
    static Dataset<Row> authorizations(SparkSession spark, String bootstrap, ScorerTopics topics) {
        var reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .options(KafkaClientSecurity.sparkOptions())
                .option("subscribe", topics.authorizations())
                .option("failOnDataLoss", "false");
        if (topics.startAtMs() > 0) {
            // "latest" for a partition with nothing that new yet: the engines start before the traffic.
            reader = reader.option("startingTimestamp", Long.toString(topics.startAtMs()))
                    .option("startingOffsetsByTimestampStrategy", "latest");
        } else {
            reader = reader.option("startingOffsets", "latest");
        }
        return reader.load().selectExpr("CAST(key AS STRING) AS card", "value", "offset");
    }

    /** The decisions (keyed by card) to their topic; the caller sets the trigger and output mode. */
    static DataStreamWriter<Row> decisions(Dataset<Tuple2<String, byte[]>> decisions, String bootstrap, String topic,
                                           String checkpoint) {
        return kafka(decisions.toDF("key", "value").writeStream(), bootstrap, checkpoint).option("topic", topic);
    }

    /** Records that name their own topic (decisions and feature-log lines), for a scorer that writes both. */
    static DataStreamWriter<Row> records(Dataset<Tuple3<String, String, byte[]>> records, String bootstrap,
                                         String checkpoint) {
        return kafka(records.toDF("topic", "key", "value").writeStream(), bootstrap, checkpoint);
    }

    private static DataStreamWriter<Row> kafka(DataStreamWriter<Row> writer, String bootstrap, String checkpoint) {
        return writer.format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .options(KafkaClientSecurity.sparkOptions())
                .option("kafka.linger.ms", "0")
                .option("checkpointLocation", checkpoint);
    }
}
