package dev.vigil.featurelake.cli;

import dev.vigil.core.config.FileLocations;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.LakeSpark;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.nightly.KafkaCheck;
import dev.vigil.featurelake.nightly.LakeDigest;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.profiles.MerchantProfiles;
import dev.vigil.featurelake.rekey.Rekey;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.featurelake.quality.QualityViolation;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ./vigil lake load DIR}, {@code ./vigil lake status} and {@code ./vigil lake digest}, and the
 * lake's part of the night ({@link #nightly}, which the night's entry point in batch-training calls).
 * Options are {@code --name value}; the lake defaults to {@code file://$VIGIL_HOME/lake}.
 */
public final class LakeMain {

    /** What {@code nightly} understands; anything else is refused rather than silently ignored. */
    public static final java.util.Set<String> NIGHTLY_OPTIONS = java.util.Set.of("date", "from", "to", "lake", "master",
            "bootstrap", "ingest", "publish", "maturity-days", "min-day-ratio", "max-day-ratio", "max-null-drift",
            "freshness-hours", "max-quarantined", "out", "load");

    private LakeMain() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage("a command: load, status, digest or rekey (the night itself is ./vigil nightly)");
        }
        Map<String, String> o;
        Lake lake;
        try {
            o = options(args);
            lake = new Lake(o.getOrDefault("lake", defaultLake()));
        } catch (IllegalArgumentException e) {
            System.err.println("vigil: " + e.getMessage());
            System.exit(64);
            return;
        }
        int code;
        // Under spark-submit the master is already set; run alone, the job runs in local mode.
        String master = o.getOrDefault("master", System.getProperty("spark.master") == null ? "local[*]" : null);
        SparkSession spark = LakeSpark.session("vigil-" + args[0], master);
        spark.sparkContext().setLogLevel("WARN");
        try {
            code = switch (args[0]) {
                case "load" -> load(spark, lake, o);
                case "status" -> status(spark, lake);
                case "digest" -> digest(spark, lake, o);
                case "rekey" -> rekey(spark, lake, o);
                default -> usage("unknown command '" + args[0] + "'");
            };
        } catch (QualityViolation e) {
            System.err.println("vigil: " + e.getMessage());
            code = 3;
        } catch (IllegalArgumentException | IllegalStateException | java.time.DateTimeException e) {
            System.err.println("vigil: " + e.getMessage());
            code = 2;
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    private static int load(SparkSession spark, Lake lake, Map<String, String> o) {
        String dir = o.get("_1");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            return usage("lake load DIR: a folder written by ./vigil generate or ./vigil replay");
        }
        long started = System.nanoTime();
        for (BronzeStream s : BronzeStream.values()) {
            long t = System.nanoTime();
            System.out.printf("%-15s landing %d file(s) ...%n", s.table(), HistoryLoad.files(Path.of(dir).resolve(s.table())).size());
            Bronze.Landed l = HistoryLoad.load(spark, lake, s, Path.of(dir));
            System.out.printf("%-15s %,12d inserted %,10d duplicates skipped %,8d quarantined in %.1f s%n", s.table(),
                    l.inserted(), l.duplicates(), l.quarantined(), (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("Loaded %s into the lake at %s in %.1f s%n", dir, lake, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Moves the lake's cards to the announced key {@code --key-id} (docs/tokenization-key.md). */
    private static int rekey(SparkSession spark, Lake lake, Map<String, String> o) {
        if (o.get("key-id") == null) {
            return usage("lake rekey --key-id ID: the announced key's id, as the edge's VIGIL_TOKEN_NEXT_KEY_ID");
        }
        String bootstrap = "off".equals(o.get("publish")) ? null
                : o.getOrDefault("bootstrap", System.getProperty("vigil.kafka.bootstrap"));
        long started = System.nanoTime();
        Rekey.Result r = Rekey.run(spark, lake, o.get("key-id"), bootstrap);
        r.rowsMoved().forEach((table, rows) -> System.out.printf("%-15s %,12d rows moved to key '%s'%n", table, rows,
                r.keyId()));
        System.out.printf("Re-keyed %s to '%s' in %.1f s: %,d cards newly paired; %,d newest card profiles sent to %s; "
                        + "%,d cards active in the last %d days are still under another key (the edge did not see "
                        + "them while the key was announced: no history for them after the switch)%n", lake, r.keyId(),
                (System.nanoTime() - started) / 1e9, r.newPairs(), r.profilesPublished(),
                bootstrap == null ? "no broker (--publish off)" : bootstrap, r.activeNotCovered(), Rekey.ACTIVE_DAYS);
        return 0;
    }

    private static int status(SparkSession spark, Lake lake) {
        Map<String, String> tables = LakeDigest.tables(lake);
        System.out.println("Lake at " + lake);
        tables.forEach((name, path) -> {
            if (!DeltaTable.isDeltaTable(spark, path)) {
                System.out.printf("  %-28s (not created yet)%n", name);
                return;
            }
            long rows = spark.read().format("delta").load(path).count();
            long version = DeltaTable.forPath(spark, path).history(1).first().getLong(0);
            System.out.printf("  %-28s %,12d rows  version %d  %s%n", name, rows, version, path);
        });
        if (DeltaTable.isDeltaTable(spark, lake.nightlyRuns())) {
            spark.read().format("delta").load(lake.nightlyRuns()).orderBy(col("date").desc()).limit(5)
                    .select("date", "status", "finished_at").show(false);
        }
        return 0;
    }

    /**
     * {@code lake digest --out FILE [--versions all|latest] [--rows DIR] [--also URI --also-out FILE]}:
     * per table and Delta version, rows and a content hash (LakeDigest), as JSON; {@code --rows} also
     * writes the latest version of every table as JSON lines (what a scan for clear card numbers reads
     * row by row); {@code --also} digests a second lake in the same Spark session (a rerun and its
     * clean twin, one JVM start instead of two).
     */
    private static int digest(SparkSession spark, Lake lake, Map<String, String> o) {
        String out = o.get("out");
        String versions = o.getOrDefault("versions", "latest");
        if (out == null || !(versions.equals("all") || versions.equals("latest"))
                || o.containsKey("also") != o.containsKey("also-out")) {
            return usage("lake digest --out FILE [--versions all|latest] [--rows DIR] [--lake URI] [--also URI --also-out FILE]");
        }
        writeDigest(spark, lake, versions.equals("all"), Path.of(out));
        if (o.containsKey("rows")) {
            LakeDigest.writeRows(spark, lake, o.get("rows"));
        }
        if (o.containsKey("also")) {
            writeDigest(spark, new Lake(o.get("also")), versions.equals("all"), Path.of(o.get("also-out")));
        }
        return 0;
    }

    private static void writeDigest(SparkSession spark, Lake lake, boolean allVersions, Path file) {
        Map<String, Map<Long, String>> digest = LakeDigest.digest(spark, lake, allVersions);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("lake", lake.toString());
            json.put("tables", digest);
            new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
        System.out.println("Lake at " + lake + ":");
        digest.forEach((table, byVersion) -> System.out.printf("  %-28s %3d version(s), latest %s%n", table,
                byVersion.size(), byVersion.values().stream().reduce((a, b) -> b).orElse("-")));
    }

    /**
     * The lake's night(s): land, check, profile, publish for {@code --date D} or {@code --from D --to D}.
     * The night's entry point ({@code NightMain} in batch-training) calls it before training.
     *
     * @return the exit code: 0, or 64 for options it does not understand
     */
    public static int nightly(SparkSession spark, Lake lake, Map<String, String> o) {
        LocalDate from, to;
        for (String name : o.keySet()) {
            if (!NIGHTLY_OPTIONS.contains(name)) {
                return usage("nightly options among " + new java.util.TreeSet<>(NIGHTLY_OPTIONS) + "; got --" + name);
            }
        }
        if (o.containsKey("date")) {
            from = to = Nightly.night(o.get("date"));
        } else if (o.containsKey("from") && o.containsKey("to")) {
            from = Nightly.night(o.get("from"));
            to = Nightly.night(o.get("to"));
        } else {
            return usage("nightly --date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD [--lake URI]");
        }
        if (to.isBefore(from)) {
            return usage("--to is before --from");
        }
        if (o.containsKey("load")) {
            // History first, in the same Spark session: one JVM start instead of two for a backfill.
            int loaded = load(spark, lake, Map.of("_1", o.get("load")));
            if (loaded != 0) {
                return loaded;
            }
        }
        QualityRules d = QualityRules.DEFAULTS;
        String bootstrap = o.getOrDefault("bootstrap", System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092"));
        Nightly.KafkaMode ingest = Nightly.KafkaMode.parse("--ingest", o.getOrDefault("ingest", "auto"));
        Nightly.KafkaMode publish = Nightly.KafkaMode.parse("--publish", o.getOrDefault("publish", "auto"));
        if (ingest == Nightly.KafkaMode.AUTO || publish == Nightly.KafkaMode.AUTO) {
            // Decided once for the whole backfill, and said out loud.
            boolean up = KafkaCheck.reachable(bootstrap);
            Nightly.KafkaMode resolved = up ? Nightly.KafkaMode.ON : Nightly.KafkaMode.OFF;
            ingest = ingest == Nightly.KafkaMode.AUTO ? resolved : ingest;
            publish = publish == Nightly.KafkaMode.AUTO ? resolved : publish;
            System.out.println(up ? "Kafka at " + bootstrap + " answers: " + (ingest == Nightly.KafkaMode.ON
                    ? "landing topics" : "not landing topics (--ingest off)") + ", " + (publish == Nightly.KafkaMode.ON
                    ? "publishing profiles" : "not publishing profiles (--publish off)")
                    : "note: Kafka at " + bootstrap + " does not answer: nights run on what the lake holds and publish"
                    + " nothing (--ingest on / --publish on make that an error)");
        }
        Nightly.Options options = new Nightly.Options(lake, bootstrap, ingest, publish,
                Integer.parseInt(o.getOrDefault("maturity-days", String.valueOf(MerchantProfiles.DEFAULT_MATURITY_DAYS))),
                new QualityRules(dbl(o, "min-day-ratio", d.minDayRatio()), dbl(o, "max-day-ratio", d.maxDayRatio()),
                        dbl(o, "max-null-drift", d.maxNullDrift()), dbl(o, "freshness-hours", d.freshnessHours()),
                        dbl(o, "max-quarantined", d.maxQuarantined())),
                Path.of(o.getOrDefault("out", System.getProperty("vigil.home", ".vigil") + "/runs/nightly")));
        long days = to.toEpochDay() - from.toEpochDay() + 1;
        long started = System.nanoTime();
        Nightly nightly = new Nightly(spark, options, step -> System.out.printf("[%s%s] %s ...%n", from,
                days > 1 ? ".." + to : "", step));
        for (Map<String, Object> summary : nightly.run(from, to, true)) {
            System.out.printf("%s  %s card / %s merchant profiles written, %s / %s published; summary %s%n",
                    summary.get("date"), summary.get("card_profiles_written"), summary.get("merchant_profiles_written"),
                    summary.get("card_profiles_published"), summary.get("merchant_profiles_published"),
                    summary.get("summary_file"));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("Nightly %s..%s: %d night(s) in %d min %d s (lake %s)%n", from, to, days,
                took.toMinutes(), took.toSecondsPart(), lake);
        return 0;
    }

    private static double dbl(Map<String, String> o, String name, double fallback) {
        return o.containsKey(name) ? Double.parseDouble(o.get(name)) : fallback;
    }

    public static String defaultLake() {
        return FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "lake"));
    }

    /** {@code --name value} pairs; positional arguments after the command as _1, _2, ... */
    public static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        int positional = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                o.put(args[i].substring(2), args[++i]);
            } else {
                o.put("_" + (++positional), args[i]);
            }
        }
        return o;
    }

    private static int usage(String what) {
        System.err.println("vigil: expected " + what);
        System.err.println(String.join("\n", List.of(
                "usage: ./vigil lake load DIR [--lake URI]",
                "       ./vigil lake status [--lake URI]",
                "       ./vigil lake rekey --key-id ID [--lake URI] [--publish on|off] [--bootstrap HOST:PORT]",
                "       ./vigil lake digest --out FILE [--versions all|latest] [--rows DIR] [--lake URI]"
                        + " [--also URI --also-out FILE]",
                "       ./vigil nightly --date D | --from D --to D [--lake URI] [--ingest auto|on|off]",
                "                       [--publish auto|on|off] [--bootstrap HOST:PORT] [--out DIR] [--load DIR]",
                "                       [training options] [--no-train]")));
        return 64;
    }
}
