package dev.vigil.featurelake.bronze;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.featurelake.Lake;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.util.concurrent.atomic.AtomicReference;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/**
 * Lands a topic in bronze with Structured Streaming, {@code availableNow}: everything on the topic
 * since the checkpoint, then stop. The checkpoint under the lake makes it incremental; the merge by
 * identity and Delta's idempotent append (txnAppId = query, txnVersion = batch id) make a batch
 * replayed after a crash land once. A run with nothing new starts no batch and writes nothing.
 */
public final class KafkaIngest {

    private KafkaIngest() {
    }

    public static Bronze.Landed ingest(SparkSession spark, Lake lake, BronzeStream stream, String bootstrap) {
        Bronze.ensureTables(spark, lake, stream);
        String query = "bronze-" + stream.table();
        Dataset<Row> source = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .options(KafkaClientSecurity.sparkOptions())
                .option("subscribe", stream.topic().topicName())
                .option("startingOffsets", "earliest")
                // A topic whose retention already dropped unread data is reported, never silently skipped.
                .option("failOnDataLoss", "true")
                .option("maxOffsetsPerTrigger", 2_000_000L)
                .load()
                .select(col("value"), concat(lit("kafka:"), col("topic")).as("src"),
                        col("partition").as("src_partition"), col("offset").as("src_offset"));
        AtomicReference<Bronze.Landed> total = new AtomicReference<>(Bronze.Landed.NONE);
        VoidFunction2<Dataset<Row>, Long> batch = (rows, batchId) ->
                total.accumulateAndGet(Bronze.land(rows.sparkSession(), lake, stream, rows, query, batchId),
                        Bronze.Landed::plus);
        try {
            StreamingQuery q = source.writeStream().queryName(query)
                    .option("checkpointLocation", lake.checkpoint(query))
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch(batch)
                    .start();
            q.awaitTermination();
        } catch (Exception e) {
            throw new IllegalStateException("ingesting " + stream.topic().topicName() + " into bronze failed: "
                    + e.getMessage(), e);
        }
        return total.get();
    }
}
