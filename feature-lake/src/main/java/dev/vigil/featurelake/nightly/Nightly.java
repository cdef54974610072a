package dev.vigil.featurelake.nightly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.core.profile.CardProfileBuilder;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.KafkaIngest;
import dev.vigil.featurelake.profiles.CardProfiles;
import dev.vigil.featurelake.profiles.MerchantProfiles;
import dev.vigil.featurelake.profiles.ProfilePublisher;
import dev.vigil.featurelake.profiles.ProfileTables;
import dev.vigil.featurelake.quality.Check;
import dev.vigil.featurelake.quality.QualityChecks;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.featurelake.quality.QualityViolation;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The nightly for logical dates {@code from..to}: land what Kafka has in bronze, check each night's
 * data, build card and merchant profiles as of each night, write them (one Delta commit per table,
 * replacing the run's nights), publish those that changed since the previous night, and record each
 * night's run. A single night is a run of one; a backfill of N nights reads bronze once and commits
 * once instead of N times, and leaves the tables holding what N single nights would (NightlyTest
 * compares lake digests). A night whose checks fail stops the run there: the nights before it are
 * written, nothing of it or after it is. Running a night again gives the same tables.
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

    /** Runs D alone; {@code ingest} false when an earlier run already drained Kafka. */
    public Map<String, Object> run(LocalDate date, boolean ingest) {
        return run(date, date, ingest).get(0);
    }

    /**
     * Runs the nights {@code from..to} and returns each night's summary, oldest first. Throws
     * {@link QualityViolation} for the first night whose checks fail, after writing the nights before it.
     */
    public List<Map<String, Object>> run(LocalDate from, LocalDate to, boolean ingest) {
        long started = System.nanoTime();
        Lake lake = options.lake();
        Map<String, Object> stages = new LinkedHashMap<>();

        long t = System.nanoTime();
        Map<BronzeStream, Bronze.Landed> landed = new EnumMap<>(BronzeStream.class);
        String ingestNote;
        if (!ingest) {
            ingestNote = "done by an earlier run of this command";
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
        stages.put("ingest", seconds(t));

        t = System.nanoTime();
        progress.accept("quality checks");
        Map<LocalDate, List<Check>> checks = QualityChecks.run(spark, lake, from, to, all, options.rules());
        stages.put("checks", seconds(t));
        List<LocalDate> nights = new ArrayList<>();
        LocalDate failed = null;
        for (Map.Entry<LocalDate, List<Check>> e : checks.entrySet()) {
            if (e.getValue().stream().anyMatch(c -> !c.passed())) {
                failed = e.getKey();
                break;
            }
            nights.add(e.getKey());
        }

        Map<LocalDate, Map<String, Object>> summaries = new LinkedHashMap<>();
        for (LocalDate night : checks.keySet()) {
            if (failed != null && night.isAfter(failed)) {
                break;
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("date", night.toString());
            summary.put("lake", lake.root());
            if (from.isBefore(to)) {
                summary.put("run", from + ".." + to + " (" + checks.size() + " nights from one read of bronze;"
                        + " stage seconds are the run's)");
            }
            summary.put("stage_seconds", stages);
            boolean first = night.equals(from);
            summary.put("ingest", first ? ingestNote : "done by the run's first night");
            summary.put("rows_ingested", first ? ingested : Map.of());
            summary.put("duplicates_skipped", first ? all.duplicates() : 0L);
            summary.put("quarantined", first ? all.quarantined() : 0L);
            summary.put("checks", checks.get(night));
            summaries.put(night, summary);
        }

        if (!nights.isEmpty()) {
            buildProfiles(nights, summaries, stages);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Path failedSummary = null;
        for (Map.Entry<LocalDate, Map<String, Object>> e : summaries.entrySet()) {
            Map<String, Object> summary = e.getValue();
            summary.put("status", e.getKey().equals(failed) ? "failed" : "succeeded");
            summary.put("duration_seconds", seconds(started));
            Path where = writeSummary(e.getKey(), summary);
            if (e.getKey().equals(failed)) {
                failedSummary = where;
            } else {
                summary.put("summary_file", where.toString());
                out.add(summary);
            }
        }
        recordRuns(summaries);
        if (failed != null) {
            throw new QualityViolation(failed.toString(), checks.get(failed), failedSummary);
        }
        return out;
    }

    /**
     * Card and merchant profiles of every night from one persisted read of bronze (the authorizations
     * of the 90 days before the first night up to the last, and the labels), one write per table, and
     * the changed versions published, each key's in night order.
     */
    private void buildProfiles(List<LocalDate> nights, Map<LocalDate, Map<String, Object>> summaries,
                               Map<String, Object> stages) {
        Lake lake = options.lake();
        LocalDate first = nights.get(0), last = nights.get(nights.size() - 1);
        long t = System.nanoTime();
        progress.accept("reading bronze once for " + nights.size() + " night(s)");
        Dataset<Row> auths = spark.read().format("delta").load(lake.bronze(BronzeStream.AUTHORIZATIONS.table()))
                .filter(col("event_date").between(first.minusDays(CardProfileBuilder.WINDOW_90D - 1), last))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> labels = spark.read().format("delta").load(lake.bronze(BronzeStream.LABELS.table()))
                .filter(col("label_date").leq(last)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> cards = null, merchants = null;
        try {
            cards = CardProfiles.compute(auths, labels, nights).persist(StorageLevel.MEMORY_AND_DISK());
            // Each night's merchant profiles are materialised on their own: a union of N whole plans took
            // Spark's planner minutes (it compares plan trees pairwise); a union of N checkpoints is cheap.
            Dataset<Row> merchantNights = null;
            for (LocalDate night : nights) {
                Dataset<Row> m = MerchantProfiles.compute(spark, auths, labels, night, options.maturityDays());
                if (nights.size() > 1) {
                    progress.accept("merchant profiles as of " + night + " (" + (nights.indexOf(night) + 1) + "/"
                            + nights.size() + ")");
                    m = m.localCheckpoint();
                }
                merchantNights = merchantNights == null ? m : merchantNights.unionByName(m);
            }
            merchants = merchantNights.persist(StorageLevel.MEMORY_AND_DISK());
            progress.accept("card profiles" + (nights.size() > 1 ? " of " + nights.size() + " nights" : "")
                    + ", and which changed since the night before");
            Dataset<Row> markedCards = ProfileTables.markChanged(spark, cards, lake.cardProfiles(), "card_token", nights)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> markedMerchants = ProfileTables.markChanged(spark, merchants, lake.merchantProfiles(),
                    "merchant_id", nights).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long cardChanges = count("card_profiles", markedCards, nights, summaries);
                long merchantChanges = count("merchant_profiles", markedMerchants, nights, summaries);
                stages.put("profiles", seconds(t));

                t = System.nanoTime();
                progress.accept("write card and merchant profiles");
                ProfileTables.write(markedCards, lake.cardProfiles(), "card_token", nights,
                        written(nights, summaries, "card_profiles"));
                ProfileTables.write(markedMerchants, lake.merchantProfiles(), "merchant_id", nights,
                        written(nights, summaries, "merchant_profiles"));
                stages.put("write", seconds(t));

                t = System.nanoTime();
                boolean publish = KafkaCheck.use(options.publish(), options.bootstrap(), "publish");
                if (publish) {
                    progress.accept("publish " + cardChanges + " card and " + merchantChanges + " merchant profiles");
                    ProfilePublisher.publishCards(ProfileTables.forPublishing(markedCards.filter(col("changed")),
                            "card_token", cardChanges), options.bootstrap());
                    ProfilePublisher.publishMerchants(ProfileTables.forPublishing(markedMerchants.filter(col("changed")),
                            "merchant_id", merchantChanges), options.bootstrap());
                }
                for (LocalDate night : nights) {
                    Map<String, Object> summary = summaries.get(night);
                    summary.put("card_profiles_published", publish ? summary.get("card_profiles_changed") : 0L);
                    summary.put("merchant_profiles_published", publish ? summary.get("merchant_profiles_changed") : 0L);
                    if (!publish) {
                        summary.put("publish", "skipped: Kafka not used (--publish "
                                + options.publish().name().toLowerCase(java.util.Locale.ROOT) + ")");
                    }
                }
                stages.put("publish", seconds(t));
            } finally {
                markedCards.unpersist();
                markedMerchants.unpersist();
            }
        } finally {
            if (cards != null) {
                cards.unpersist();
            }
            if (merchants != null) {
                merchants.unpersist();
            }
            auths.unpersist();
            labels.unpersist();
        }
    }

    private static long written(List<LocalDate> nights, Map<LocalDate, Map<String, Object>> summaries, String table) {
        return nights.stream().mapToLong(n -> (long) summaries.get(n).get(table + "_written")).sum();
    }

    /**
     * Puts {@code <table>_written} and {@code <table>_changed} into the summary of each night built
     * (zero for a night without profiles) from one aggregation; returns how many changed in all.
     */
    private static long count(String table, Dataset<Row> marked, List<LocalDate> nights,
                              Map<LocalDate, Map<String, Object>> summaries) {
        Map<LocalDate, long[]> byNight = new java.util.HashMap<>();
        for (Row r : marked.groupBy("as_of").agg(org.apache.spark.sql.functions.count(lit(1)),
                sum(when(col("changed"), 1).otherwise(0))).collectAsList()) {
            byNight.put(r.getAs(0), new long[]{r.getLong(1), r.getLong(2)});
        }
        long changes = 0;
        for (LocalDate night : nights) {
            long[] n = byNight.getOrDefault(night, new long[2]);
            summaries.get(night).put(table + "_written", n[0]);
            summaries.get(night).put(table + "_changed", n[1]);
            changes += n[1];
        }
        return changes;
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
    private void recordRuns(Map<LocalDate, Map<String, Object>> summaries) {
        String path = options.lake().nightlyRuns();
        DeltaTable.createIfNotExists(spark).location(path).addColumns(RUNS).execute();
        List<Row> rows = new ArrayList<>();
        Instant finished = Instant.now();
        summaries.forEach((date, summary) -> {
            try {
                rows.add(RowFactory.create(date, summary.get("status"), finished, JSON.writeValueAsString(summary)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Dataset<Row> updates = spark.createDataFrame(rows, RUNS);
        DeltaTable.forPath(spark, path).as("t").merge(updates.as("s"), "t.date = s.date")
                .whenMatched().updateAll().whenNotMatched().insertAll().execute();
    }
}
