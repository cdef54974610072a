package dev.vigil.featurelake.bronze;

import dev.vigil.core.token.PanMasking;
import dev.vigil.featurelake.Lake;
import io.delta.tables.DeltaTable;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;

/**
 * Lands raw records in the bronze Delta tables. Input rows are {@link #RAW}: the record's bytes and
 * where they came from. Each record is decoded with core's codec; a good one is merged into its
 * table unless bronze already holds it (so re-landing the same input changes nothing), a rejected
 * one goes to the quarantine table with its reason and its bytes (digits masked). Nothing is
 * dropped silently: every input row ends up in exactly one of the two.
 */
public final class Bronze {

    /** Raw input: the bytes, and the arrival position (Kafka partition and offset, or file and line). */
    public static final StructType RAW = new StructType()
            .add("value", DataTypes.BinaryType)
            .add("src", DataTypes.StringType, false)
            .add("src_partition", DataTypes.IntegerType, false)
            .add("src_offset", DataTypes.LongType, false);

    /**
     * Arrival columns bronze keeps after the record's own: {@code src} ("kafka:topic" or
     * "file:path"), partition (-1 for files), offset or line, and when it was landed. A card's
     * arrival order is its order by (src_partition, src_offset) within a source.
     */
    public static final StructType ARRIVAL_COLUMNS = new StructType()
            .add("src", DataTypes.StringType, false)
            .add("src_partition", DataTypes.IntegerType, false)
            .add("src_offset", DataTypes.LongType, false)
            .add("ingested_at", DataTypes.TimestampType, false);

    public static final StructType QUARANTINE = new StructType()
            .add("stream", DataTypes.StringType, false)
            .add("src", DataTypes.StringType, false)
            .add("src_partition", DataTypes.IntegerType, false)
            .add("src_offset", DataTypes.LongType, false)
            .add("reason", DataTypes.StringType, false)
            .add("raw_masked", DataTypes.StringType)
            .add("ingested_at", DataTypes.TimestampType, false)
            .add("ingest_date", DataTypes.DateType, false);

    static final int MAX_RAW_CHARS = 4096;
    private static final String REASON = "_reject_reason";
    private static final String RAW_MASKED = "_raw_masked";

    private Bronze() {
    }

    /** What one landing did. */
    public record Landed(long inserted, long duplicates, long quarantined) {
        public Landed plus(Landed o) {
            return new Landed(inserted + o.inserted, duplicates + o.duplicates, quarantined + o.quarantined);
        }

        public static final Landed NONE = new Landed(0, 0, 0);
    }

    public static StructType tableSchema(BronzeStream stream) {
        StructType s = stream.recordSchema();
        for (StructField f : ARRIVAL_COLUMNS.fields()) {
            s = s.add(f);
        }
        return s;
    }

    /**
     * Creates the stream's table and the quarantine table when missing (idempotent). A table written
     * before a nullable column was added to its schema gets that column (older rows read null).
     */
    public static void ensureTables(SparkSession spark, Lake lake, BronzeStream stream) {
        String path = lake.bronze(stream.table());
        DeltaTable.createIfNotExists(spark).location(path)
                .addColumns(tableSchema(stream)).partitionedBy(stream.partitionColumn()).execute();
        StructType existing = DeltaTable.forPath(spark, path).toDF().schema();
        for (StructField f : tableSchema(stream).fields()) {
            if (!java.util.Arrays.asList(existing.fieldNames()).contains(f.name()) && f.nullable()) {
                spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (" + f.name() + " " + f.dataType().sql() + ")");
            }
        }
        DeltaTable.createIfNotExists(spark).location(lake.quarantine())
                .addColumns(QUARANTINE).partitionedBy("ingest_date").execute();
    }

    /**
     * Lands {@code raw} (schema {@link #RAW}). {@code txnAppId}/{@code txnVersion} make the
     * quarantine append idempotent when a streaming batch is replayed after a failure (the merge
     * is idempotent by itself).
     */
    public static Landed land(SparkSession spark, Lake lake, BronzeStream stream, Dataset<Row> raw,
                              String txnAppId, long txnVersion) {
        ensureTables(spark, lake, stream);
        Instant now = Instant.now();
        StructType parsedSchema = parsedSchema(stream);
        Dataset<Row> parsed = raw.mapPartitions(parser(stream, now), Encoders.row(parsedSchema))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> unmapped = parsed.filter(col(REASON).isNull()).drop(REASON, RAW_MASKED);
        Dataset<Row> mapped = null;
        try {
            // A lake moved to a new tokenization key maps what arrives the same way (TokenLineage); the
            // mapped rows are kept, so the lineage is read and joined once, not by each use below.
            mapped = TokenLineage.mapOnLanding(spark, lake, stream, unmapped);
            if (mapped != unmapped) {
                mapped = mapped.persist(StorageLevel.MEMORY_AND_DISK());
            }
            Dataset<Row> good = mapped;
            Dataset<Row> bad = parsed.filter(col(REASON).isNotNull());

            long quarantined = bad.count();
            if (quarantined > 0) {
                bad.select(lit(stream.table()).as("stream"), col("src"), col("src_partition"), col("src_offset"),
                                col(REASON).as("reason"), col(RAW_MASKED).as("raw_masked"), col("ingested_at"),
                                lit(Date.valueOf(LocalDate.ofInstant(now, ZoneOffset.UTC))).as("ingest_date"))
                        .write().format("delta").mode("append")
                        .option("txnAppId", txnAppId + "-quarantine").option("txnVersion", txnVersion)
                        .save(lake.quarantine());
            }

            long goodCount = good.count();
            if (goodCount == 0) {
                return new Landed(0, 0, quarantined);
            }
            // Within the input, keep each record's first arrival.
            Dataset<Row> firsts = good.withColumn("_n", row_number().over(
                            Window.partitionBy(stream.identity().stream().map(Bronze::column).toArray(Column[]::new))
                                    .orderBy(col("src"), col("src_partition"), col("src_offset"))))
                    .filter(col("_n").equalTo(1)).drop("_n");
            Row range = good.agg(min(stream.partitionColumn()), max(stream.partitionColumn())).first();
            String prune = "t." + stream.partitionColumn() + " BETWEEN '" + range.get(0) + "' AND '" + range.get(1) + "'";
            DeltaTable target = DeltaTable.forPath(spark, lake.bronze(stream.table()));
            long before = version(target);
            target.as("t")
                    .merge(firsts.as("s"), prune + " AND t." + stream.partitionColumn() + " = s."
                            + stream.partitionColumn() + " AND " + stream.sameRecord())
                    .whenNotMatched().insertAll()
                    .execute();
            // A merge that inserts nothing commits nothing: then the newest commit is an older one.
            long inserted = version(target) == before ? 0 : lastInserted(target);
            return new Landed(inserted, goodCount - inserted, quarantined);
        } finally {
            if (mapped != null && mapped != unmapped) {
                mapped.unpersist();
            }
            parsed.unpersist();
        }
    }

    private static Column column(String name) {
        return col(name);
    }

    private static long version(DeltaTable table) {
        return table.history(1).select("version").first().getLong(0);
    }

    private static long lastInserted(DeltaTable table) {
        Row last = table.history(1).select("operation", "operationMetrics").first();
        Map<String, String> metrics = last.getJavaMap(1);
        String n = metrics == null ? null : metrics.get("numTargetRowsInserted");
        return n == null ? 0 : Long.parseLong(n);
    }

    private static StructType parsedSchema(BronzeStream stream) {
        StructType s = new StructType();
        for (StructField f : tableSchema(stream).fields()) {
            s = s.add(f.name(), f.dataType(), true);
        }
        return s.add(REASON, DataTypes.StringType).add(RAW_MASKED, DataTypes.StringType);
    }

    private static MapPartitionsFunction<Row, Row> parser(BronzeStream stream, Instant ingestedAt) {
        int width = stream.recordSchema().size();
        return rows -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row in = rows.next();
                byte[] bytes = in.getAs("value");
                String[] reason = new String[1];
                Object[] record = stream.parse(bytes, reason);
                Object[] out = new Object[width + ARRIVAL_COLUMNS.size() + 2];
                if (record != null) {
                    System.arraycopy(record, 0, out, 0, width);
                } else {
                    out[width + ARRIVAL_COLUMNS.size()] = reason[0];
                    out[width + ARRIVAL_COLUMNS.size() + 1] = maskedText(bytes);
                }
                out[width] = in.getAs("src");
                out[width + 1] = in.getAs("src_partition");
                out[width + 2] = in.getAs("src_offset");
                out[width + 3] = ingestedAt;
                return RowFactory.create(out);
            }
        };
    }

    /** The rejected bytes as text for diagnosis, every run of 12+ digits masked, at most 4 KB. */
    static String maskedText(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = new String(PanMasking.mask(bytes), StandardCharsets.UTF_8);
        return text.length() > MAX_RAW_CHARS ? text.substring(0, MAX_RAW_CHARS) : text;
    }
}
