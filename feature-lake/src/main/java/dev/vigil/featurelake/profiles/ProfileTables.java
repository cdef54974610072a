package dev.vigil.featurelake.profiles;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

/**
 * The profile tables: one partition per {@code as_of}. A run's profiles replace its nights' partitions
 * in one Delta commit ({@code replaceWhere} on the nights), so rerunning a night gives the same
 * content and other nights stay; Delta's history keeps every earlier write for time travel.
 */
public final class ProfileTables {

    private ProfileTables() {
    }

    /**
     * Profiles per output file and per publishing task at most. A night's profiles are few next to
     * the shuffle's partition count: without a bound each night wrote one small file per shuffle
     * partition (the tables' small files grew by eight a night) and opened a Kafka producer per partition.
     */
    static final long ROWS_PER_PARTITION = 250_000;

    private static int partitions(long rows) {
        return (int) Math.max(1, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    }

    /**
     * Replaces the partitions of {@code nights} (consecutive) with {@code profiles} ({@code rows} of
     * them, keyed by {@code key}), in one commit: a night with no profile is left empty, as when it runs alone. Rows are
     * range-partitioned by night, then key, so each task writes whole nights or one night's slice and
     * a file holds one night's profiles, at most about {@link #ROWS_PER_PARTITION} of them.
     */
    public static void write(Dataset<Row> profiles, String path, String key, List<LocalDate> nights, long rows) {
        LocalDate first = nights.get(0), last = nights.get(nights.size() - 1);
        profiles.repartitionByRange(Math.max(nights.size(), partitions(rows)), col("as_of"), col(key))
                .write().format("delta").mode("overwrite")
                .option("replaceWhere", "as_of >= '" + first + "' AND as_of <= '" + last + "'")
                .partitionBy("as_of")
                .save(path);
    }

    /**
     * The versions to publish, each key's in {@code as_of} order through one task (so one producer
     * sends them in that order), in as few tasks as {@code rows} needs. A retried task sends its keys'
     * versions again from the oldest: the job keeps a card's profile versions by {@code as_of}, so a
     * version arriving again, or after a newer one, changes nothing there.
     */
    public static Dataset<Row> forPublishing(Dataset<Row> changed, String key, long rows) {
        return changed.repartition(partitions(rows), col(key)).sortWithinPartitions(col(key), col("as_of"));
    }

    /**
     * Adds {@code changed}: true when the key's content differs from the previous night's (or the key
     * has none there). The previous night of D is the newest night before D that has profiles, in the
     * table (before the run's first night) or earlier in this run: what the table's newest partition
     * before D would be if the nights ran one at a time. Changed rows are the ones published, so a
     * reader that wants the versions Flink received (the training replay) reads {@code changed = true}
     * rows only. {@code profiles} should be persisted: it is read for its nights and joined with itself.
     */
    public static Dataset<Row> markChanged(SparkSession spark, Dataset<Row> profiles, String path, String key,
                                           List<LocalDate> nights) {
        LocalDate first = nights.get(0);
        Dataset<Row> earlier = null;
        TreeSet<LocalDate> withProfiles = new TreeSet<>();
        if (DeltaTable.isDeltaTable(spark, path)) {
            Dataset<Row> table = spark.read().format("delta").load(path);
            Row newest = table.filter(col("as_of").lt(first)).agg(max("as_of")).first();
            if (!newest.isNullAt(0)) {
                LocalDate night = newest.getAs(0);
                withProfiles.add(night);
                earlier = table.filter(col("as_of").equalTo(night)).select(col(key), col("as_of"), col("content_hash"));
            }
        }
        for (Row r : profiles.select("as_of").distinct().collectAsList()) {
            withProfiles.add(r.getAs(0));
        }
        List<Row> pairs = new ArrayList<>();
        for (LocalDate night : nights) {
            LocalDate previous = withProfiles.lower(night);
            if (previous != null) {
                pairs.add(RowFactory.create(night, previous));
            }
        }
        if (pairs.isEmpty()) {
            return profiles.withColumn("changed", lit(true));
        }
        Dataset<Row> previousNight = spark.createDataFrame(pairs, new StructType()
                .add("_night", DataTypes.DateType, false).add("_prev_as_of", DataTypes.DateType, false));
        Dataset<Row> candidates = profiles.select(col(key), col("as_of"), col("content_hash"));
        if (earlier != null) {
            candidates = candidates.unionByName(earlier);
        }
        Dataset<Row> previous = candidates.select(col(key).as("_prev_key"), col("as_of").as("_prev_night"),
                col("content_hash").as("_prev_hash"));
        return profiles.join(previousNight, profiles.col("as_of").equalTo(previousNight.col("_night")), "left")
                .join(previous, col(key).equalTo(col("_prev_key"))
                        .and(col("_prev_as_of").equalTo(col("_prev_night"))), "left")
                .withColumn("changed", col("_prev_hash").isNull().or(col("_prev_hash").notEqual(col("content_hash"))))
                .drop("_night", "_prev_as_of", "_prev_key", "_prev_night", "_prev_hash");
    }
}
