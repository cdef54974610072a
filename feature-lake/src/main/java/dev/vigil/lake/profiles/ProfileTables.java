package dev.vigil.lake.profiles;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * The profile tables: one partition per {@code as_of}. A night's profiles replace that partition in
 * one Delta commit ({@code replaceWhere as_of = D}), so rerunning D gives the same content and older
 * nights stay; Delta's history keeps every earlier write for time travel.
 */
public final class ProfileTables {

    private ProfileTables() {
    }

    /**
     * Profiles per output file and per publishing task. A night's profiles are few next to the
     * shuffle's partition count: without this each night wrote one small file per shuffle partition
     * (the tables' small files grew by eight a night) and opened a Kafka producer per partition.
     */
    static final long ROWS_PER_PARTITION = 250_000;

    /** {@code profiles} in as few partitions as {@code rows} needs; cheap on a persisted dataset. */
    public static Dataset<Row> sized(Dataset<Row> profiles, long rows) {
        return profiles.coalesce((int) Math.max(1, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION));
    }

    public static void write(Dataset<Row> profiles, String path, LocalDate asOf) {
        profiles.write().format("delta").mode("overwrite")
                .option("replaceWhere", "as_of = '" + asOf + "'")
                .partitionBy("as_of")
                .save(path);
    }

    /**
     * Adds {@code changed}: true when the key's content differs from its newest version before D
     * (or it has none). Changed rows are the ones published, so a reader that wants the versions
     * Flink received (the training replay) reads {@code changed = true} rows only.
     */
    public static Dataset<Row> markChanged(SparkSession spark, Dataset<Row> profiles, String path, String key,
                                           LocalDate asOf) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return profiles.withColumn("changed", lit(true));
        }
        Dataset<Row> table = spark.read().format("delta").load(path);
        Row newest = table.filter(col("as_of").lt(asOf)).agg(max("as_of")).first();
        if (newest.isNullAt(0)) {
            return profiles.withColumn("changed", lit(true));
        }
        Dataset<Row> previous = table.filter(col("as_of").equalTo(newest.get(0)))
                .select(col(key).as("_prev_key"), col("content_hash").as("_prev_hash"));
        return profiles.join(previous, profiles.col(key).equalTo(previous.col("_prev_key")), "left")
                .withColumn("changed", col("_prev_hash").isNull().or(col("_prev_hash").notEqual(col("content_hash"))))
                .drop("_prev_key", "_prev_hash");
    }
}
