package dev.vigil.lake.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.lake.Lake;
import dev.vigil.lake.bronze.Bronze;
import dev.vigil.lake.bronze.BronzeStream;
import dev.vigil.lake.bronze.KafkaIngest;
import dev.vigil.lake.profiles.CardProfiles;
import dev.vigil.lake.profiles.MerchantProfiles;
import dev.vigil.lake.profiles.ProfilePublisher;
import dev.vigil.lake.profiles.ProfileTables;
import dev.vigil.lake.quality.Check;
import dev.vigil.lake.quality.QualityChecks;
import dev.vigil.lake.quality.QualityRules;
import dev.vigil.lake.quality.QualityViolation;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;

/**
 * One night for logical date D: land what Kafka has in bronze, check the day's data, build card and
 * merchant profiles as of D, write them (one Delta commit per table, replacing D's partition), publish
 * those that changed since the previous night, and record the run. A failed check stops the night
 * before anything of D is written or published. Running D again gives the same tables.
 */
public final class Nightly {

    /**
     * A night given on a command line: {@code YYYY-MM-DD}, or {@code yesterday} (UTC), which is what a
     * schedule that runs every day at a fixed time passes (the Kubernetes manifests do).
     */
    public static LocalDate night(String text) {
        return text.equals("yesterday") ? LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1) : LocalDate.parse(text);
    }

    /** Kafka use: ON fails when the broker is unreachable, AUTO skips (and says so), OFF never tries. */
    public enum KafkaMode {
        ON, AUTO, OFF;

        /** From an option value: on, off or auto. */
        public static KafkaMode parse(String option, String value) {
            return switch (value) {
                case "on" -> ON;
                case "off" -> OFF;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException(option + " takes on, off or auto, not '" + value + "'");
            };
        }
    }

    public record Options(Lake lake, String bootstrap, KafkaMode ingest, KafkaMode publish, int maturityDays,
                          QualityRules rules, Path outDir) {
    }

    private static final StructType RUNS = new StructType()
            .add("date", DataTypes.DateType, false)
            .add("status", DataTypes.StringType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("summary", DataTypes.StringType, false);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SparkSession spark;
    private final Options options;
    private final Consumer<String> progress;

    public Nightly(SparkSession spark, Options options, Consumer<String> progress) {
        this.spark = spark;
        this.options = options;
        this.progress = progress;
    }

    /** Runs D; {@code ingest} false when an earlier night of the same backfill already drained Kafka. */
    public Map<String, Object> run(LocalDate date, boolean ingest) {
        long started = System.nanoTime();
        Lake lake = options.lake();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("date", date.toString());
        summary.put("lake", lake.root());
        Map<String, Object> stages = new LinkedHashMap<>();
        summary.put("stage_seconds", stages);

        long t = System.nanoTime();
        Map<BronzeStream, Bronze.Landed> landed = new EnumMap<>(BronzeStream.class);
        String ingestNote;
        if (!ingest) {
            ingestNote = "done by the first night of this backfill";
        } else if (!KafkaCheck.use(options.ingest(), options.bootstrap(), "ingest")) {
            ingestNote = "skipped: Kafka not used (--ingest " + options.ingest().name().toLowerCase(java.util.Locale.ROOT)
                    + ", " + options.bootstrap() + ")";
        } else {
            for (BronzeStream s : BronzeStream.values()) {
                progress.accept("ingest " + s.topic().topicName());
                landed.put(s, KafkaIngest.ingest(spark, lake, s, options.bootstrap()));
            }
            ingestNote = "from Kafka at " + options.bootstrap();
        }
        for (BronzeStream s : BronzeStream.values()) {
            Bronze.ensureTables(spark, lake, s);
        }
        Bronze.Landed all = landed.values().stream().reduce(Bronze.Landed.NONE, Bronze.Landed::plus);
        Map<String, Object> ingested = new LinkedHashMap<>();
        landed.forEach((s, l) -> ingested.put(s.table(), l.inserted()));
        summary.put("ingest", ingestNote);
        summary.put("rows_ingested", ingested);
        summary.put("duplicates_skipped", all.duplicates());
        summary.put("quarantined", all.quarantined());
        stages.put("ingest", seconds(t));

        t = System.nanoTime();
        progress.accept("quality checks");
        List<Check> checks = QualityChecks.run(spark, lake, date, all, options.rules());
        summary.put("checks", checks);
        stages.put("checks", seconds(t));
        if (checks.stream().anyMatch(c -> !c.passed())) {
            summary.put("status", "failed");
            summary.put("duration_seconds", seconds(started));
            Path where = writeSummary(date, summary);
            recordRun(date, "failed", summary);
            throw new QualityViolation(date.toString(), checks, where);
        }

        t = System.nanoTime();
        progress.accept("card profiles");
        Dataset<Row> cards = ProfileTables.markChanged(spark, CardProfiles.compute(spark, lake, date),
                lake.cardProfiles(), "card_token", date).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> merchants = ProfileTables.markChanged(spark,
                MerchantProfiles.compute(spark, lake, date, options.maturityDays()), lake.merchantProfiles(),
                "merchant_id", date).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> changedCards = cards.filter(col("changed"));
            Dataset<Row> changedMerchants = merchants.filter(col("changed"));
            long cardCount = cards.count(), merchantCount = merchants.count();
            long cardChanges = changedCards.count(), merchantChanges = changedMerchants.count();
            stages.put("profiles", seconds(t));

            t = System.nanoTime();
            progress.accept("write " + cardCount + " card and " + merchantCount + " merchant profiles");
            ProfileTables.write(ProfileTables.sized(cards, cardCount), lake.cardProfiles(), date);
            ProfileTables.write(ProfileTables.sized(merchants, merchantCount), lake.merchantProfiles(), date);
            stages.put("write", seconds(t));
            summary.put("card_profiles_written", cardCount);
            summary.put("merchant_profiles_written", merchantCount);
            summary.put("card_profiles_changed", cardChanges);
            summary.put("merchant_profiles_changed", merchantChanges);

            t = System.nanoTime();
            if (KafkaCheck.use(options.publish(), options.bootstrap(), "publish")) {
                progress.accept("publish " + cardChanges + " card and " + merchantChanges + " merchant profiles");
                ProfilePublisher.publishCards(ProfileTables.sized(changedCards, cardChanges), options.bootstrap());
                ProfilePublisher.publishMerchants(ProfileTables.sized(changedMerchants, merchantChanges),
                        options.bootstrap());
                summary.put("card_profiles_published", cardChanges);
                summary.put("merchant_profiles_published", merchantChanges);
            } else {
                summary.put("card_profiles_published", 0);
                summary.put("merchant_profiles_published", 0);
                summary.put("publish", "skipped: Kafka not used (--publish "
                        + options.publish().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            stages.put("publish", seconds(t));
        } finally {
            cards.unpersist();
            merchants.unpersist();
        }
        summary.put("status", "succeeded");
        summary.put("duration_seconds", seconds(started));
        Path where = writeSummary(date, summary);
        recordRun(date, "succeeded", summary);
        summary.put("summary_file", where.toString());
        return summary;
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }

    private Path writeSummary(LocalDate date, Map<String, Object> summary) {
        Path dir = options.outDir().resolve(date.toString());
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("nightly-summary.json");
            JSON.writeValue(file.toFile(), summary);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run summary under " + dir, e);
        }
    }

    /** The run ledger in the lake: one row per date, the latest outcome (training reads succeeded dates). */
    private void recordRun(LocalDate date, String status, Map<String, Object> summary) {
        String path = options.lake().nightlyRuns();
        DeltaTable.createIfNotExists(spark).location(path).addColumns(RUNS).execute();
        String json;
        try {
            json = JSON.writeValueAsString(summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dataset<Row> row = spark.createDataFrame(List.of(RowFactory.create(date, status, Instant.now(), json)), RUNS);
        DeltaTable.forPath(spark, path).as("t").merge(row.as("s"), "t.date = s.date")
                .whenMatched().updateAll().whenNotMatched().insertAll().execute();
    }
}
