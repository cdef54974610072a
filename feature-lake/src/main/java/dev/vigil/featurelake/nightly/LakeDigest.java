package dev.vigil.featurelake.nightly;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.BronzeStream;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * What a lake holds, as digests a rerun can be compared with: per table and per committed Delta
 * version, the row count and an order-independent hash of every row. The columns that record when
 * something ran (landing time, the run ledger's finish time and its summary with durations) are left
 * out: two runs over the same input differ there by design and nowhere else.
 */
public final class LakeDigest {
    /** Bookkeeping columns: the wall-clock time of a run, not what it computed. */
    public static final Set<String> RUN_TIME_COLUMNS = Set.of("ingested_at", "ingest_date", "finished_at", "summary");

    private LakeDigest() {
    }

    /** The lake's tables by name (bronze streams, quarantine, profiles, the run ledger). */
    public static Map<String, String> tables(Lake lake) {
        Map<String, String> tables = new LinkedHashMap<>();
        for (BronzeStream s : BronzeStream.values()) {
            tables.put("bronze/" + s.table(), lake.bronze(s.table()));
        }
        tables.put("bronze/quarantine", lake.quarantine());
        tables.put("profiles/card_profiles", lake.cardProfiles());
        tables.put("profiles/merchant_profiles", lake.merchantProfiles());
        tables.put("runs/nightly_runs", lake.nightlyRuns());
        tables.put("runs/token_lineage", lake.tokenLineage());
        return tables;
    }

    /**
     * Table → (version → "rows:hash"), every committed version when {@code allVersions}, else the
     * latest only. A table not created yet is absent.
     */
    public static Map<String, Map<Long, String>> digest(SparkSession spark, Lake lake, boolean allVersions) {
        Map<String, Map<Long, String>> out = new TreeMap<>();
        tables(lake).forEach((name, path) -> {
            if (!DeltaTable.isDeltaTable(spark, path)) {
                return;
            }
            List<Long> versions = new ArrayList<>();
            for (Row r : DeltaTable.forPath(spark, path).history().select("version").collectAsList()) {
                versions.add(r.getLong(0));
            }
            versions.sort(null);
            if (!allVersions) {
                versions = List.of(versions.get(versions.size() - 1));
            }
            Map<Long, String> byVersion = new TreeMap<>();
            for (long v : versions) {
                byVersion.put(v, of(spark.read().format("delta").option("versionAsOf", v).load(path)));
            }
            out.put(name, byVersion);
        });
        return out;
    }

    /** "rows:hash" of a table's content without its run-time columns; row order does not matter. */
    public static String of(Dataset<Row> table) {
        Column[] kept = Arrays.stream(table.columns()).filter(c -> !RUN_TIME_COLUMNS.contains(c)).map(c -> col(c))
                .toArray(Column[]::new);
        // A decimal sum: ANSI mode would refuse a long sum that overflows, and hashes are 64-bit.
        Row r = table.select(xxhash64(kept).cast(DataTypes.createDecimalType(38, 0)).as("h"))
                .agg(count(lit(1)), sum(col("h"))).first();
        return r.getLong(0) + ":" + (r.isNullAt(1) ? "0" : r.getDecimal(1).toPlainString());
    }

    /** The latest version of every table, row by row as JSON lines under {@code dir} (for scans). */
    public static void writeRows(SparkSession spark, Lake lake, String dir) {
        tables(lake).forEach((name, path) -> {
            if (DeltaTable.isDeltaTable(spark, path)) {
                spark.read().format("delta").load(path).coalesce(1).write().mode("overwrite").json(dir + "/" + name);
            }
        });
    }
}
