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
import dev.vigil.featurelake.quality.QualityViolation;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ./vigil lake load DIR}, {@code status}, {@code digest} and {@code rekey}, and the lake's part
 * of the night ({@link #nightly}, which the night's entry point in batch-training calls). Every
 * command takes {@code --lake URI} (default {@code file://$VIGIL_HOME/lake}) and {@code --master};
 * an option a command does not know is refused with exit 64 and the usage.
 */
@Command(name = "vigil lake", subcommands = {LakeMain.Load.class, LakeMain.Status.class, LakeMain.Digest.class,
        LakeMain.Rekey.class})
public final class LakeMain {

    private LakeMain() {
    }

    public static void main(String[] args) {
        // A repeated option takes its last value, as the scripts rely on for their defaults.
        CommandLine cli = new CommandLine(new LakeMain()).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
        cli.setParameterExceptionHandler((e, argv) -> {
            System.err.println("vigil: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return 64;
        });
        if (args.length == 0) {
            System.err.println("vigil: expected a command: load, status, digest or rekey (the night itself is ./vigil nightly)");
            cli.usage(System.err);
            System.exit(64);
        }
        System.exit(cli.execute(args));
    }

    /** What every lake command shares: the lake, the Spark master, and how a failure maps to an exit code. */
    abstract static class LakeCommand implements Callable<Integer> {
        @Option(names = "--lake", description = "the lake's URI (file://, s3a://); default <vigil.home>/lake")
        String lake;

        @Option(names = "--master", description = "Spark master; default local[*], or spark-submit's")
        String master;

        @Spec
        CommandSpec spec;

        abstract int run(SparkSession spark, Lake lake);

        @Override
        public Integer call() {
            SparkSession spark = LakeSpark.session("vigil-" + spec.name(), sparkMaster(master));
            spark.sparkContext().setLogLevel("WARN");
            try {
                return run(spark, new Lake(lake != null ? lake : defaultLake()));
            } catch (QualityViolation e) {
                System.err.println("vigil: " + e.getMessage());
                return 3;
            } catch (IllegalArgumentException | IllegalStateException | java.time.DateTimeException e) {
                System.err.println("vigil: " + e.getMessage());
                return 2;
            } finally {
                spark.stop();
            }
        }
    }

    /** Under spark-submit the master is already set; run alone, the command runs in local mode. */
    public static String sparkMaster(String given) {
        return given != null ? given : System.getProperty("spark.master") == null ? "local[*]" : null;
    }

    @Command(name = "load", description = "land history files (./vigil generate or replay output) in the bronze tables")
    static final class Load extends LakeCommand {
        @Parameters(paramLabel = "DIR", description = "a folder written by ./vigil generate or ./vigil replay")
        Path dir;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                System.err.println("vigil: lake load DIR: " + dir + " is not a folder written by ./vigil generate or replay");
                return 64;
            }
            return super.call();
        }

        @Override
        int run(SparkSession spark, Lake lake) {
            return load(spark, lake, dir);
        }
    }

    @Command(name = "status", description = "the lake's tables: rows, Delta version, latest nightly runs")
    static final class Status extends LakeCommand {
        @Override
        int run(SparkSession spark, Lake lake) {
            return status(spark, lake);
        }
    }

    /** Moves the lake's cards to the announced key {@code --key-id} (docs/tokenization-key.md). */
    @Command(name = "rekey", description = "move every card the edge paired with its token under the announced key")
    static final class Rekey extends LakeCommand {
        @Option(names = "--key-id", required = true, description = "the announced key's id, as the edge's VIGIL_TOKEN_NEXT_KEY_ID")
        String keyId;

        @Option(names = "--publish", description = "on: send the re-keyed cards' newest profiles to Kafka; off: do not")
        String publish = "on";

        @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: -Dvigil.kafka.bootstrap)")
        String bootstrap = System.getProperty("vigil.kafka.bootstrap");

        @Override
        int run(SparkSession spark, Lake lake) {
            return rekey(spark, lake, keyId, "off".equals(publish) ? null : bootstrap);
        }
    }

    /**
     * Per table and Delta version, rows and a content hash (LakeDigest), as JSON; {@code --rows} also
     * writes the latest version of every table as JSON lines (what a scan for clear card numbers reads
     * row by row); {@code --also} digests a second lake in the same Spark session (a rerun and its
     * clean twin, one JVM start instead of two).
     */
    @Command(name = "digest", description = "per table and Delta version: rows and a content hash")
    static final class Digest extends LakeCommand {
        @Option(names = "--out", required = true, description = "the digest's JSON file")
        Path out;

        @Option(names = "--versions", description = "all or latest")
        String versions = "latest";

        @Option(names = "--rows", description = "also write every table's latest rows as JSON lines here")
        String rows;

        @Option(names = "--also", description = "a second lake to digest in the same session ...")
        String also;

        @Option(names = "--also-out", description = "... into this file")
        Path alsoOut;

        @Override
        public Integer call() {
            if (!(versions.equals("all") || versions.equals("latest")) || (also == null) != (alsoOut == null)) {
                System.err.println("vigil: lake digest takes --versions all|latest, and --also with --also-out");
                spec.commandLine().usage(System.err);
                return 64;
            }
            return super.call();
        }

        @Override
        int run(SparkSession spark, Lake lake) {
            writeDigest(spark, lake, versions.equals("all"), out);
            if (rows != null) {
                LakeDigest.writeRows(spark, lake, rows);
            }
            if (also != null) {
                writeDigest(spark, new Lake(also), versions.equals("all"), alsoOut);
            }
            return 0;
        }
    }

    private static int load(SparkSession spark, Lake lake, Path dir) {
        long started = System.nanoTime();
        for (BronzeStream s : BronzeStream.values()) {
            long t = System.nanoTime();
            System.out.printf("%-15s landing %d file(s) ...%n", s.table(), HistoryLoad.files(dir.resolve(s.table())).size());
            Bronze.Landed l = HistoryLoad.load(spark, lake, s, dir);
            System.out.printf("%-15s %,12d inserted %,10d duplicates skipped %,8d quarantined in %.1f s%n", s.table(),
                    l.inserted(), l.duplicates(), l.quarantined(), (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("Loaded %s into the lake at %s in %.1f s%n", dir, lake, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static int rekey(SparkSession spark, Lake lake, String keyId, String bootstrap) {
        long started = System.nanoTime();
        dev.vigil.featurelake.rekey.Rekey.Result r = dev.vigil.featurelake.rekey.Rekey.run(spark, lake, keyId, bootstrap);
        r.rowsMoved().forEach((table, rows) -> System.out.printf("%-15s %,12d rows moved to key '%s'%n", table, rows,
                r.keyId()));
        System.out.printf("Re-keyed %s to '%s' in %.1f s: %,d cards newly paired; %,d newest card profiles sent to %s; "
                        + "%,d cards active in the last %d days are still under another key (the edge did not see "
                        + "them while the key was announced: no history for them after the switch)%n", lake, r.keyId(),
                (System.nanoTime() - started) / 1e9, r.newPairs(), r.profilesPublished(),
                bootstrap == null ? "no broker (--publish off)" : bootstrap, r.activeNotCovered(), dev.vigil.featurelake.rekey.Rekey.ACTIVE_DAYS);
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
     * @return the exit code: 0
     * @throws IllegalArgumentException when the dates are missing, mixed or out of order, or
     *                                  {@code --load} is not a folder
     */
    public static int nightly(SparkSession spark, NightOptions o) {
        o.check();
        LocalDate from = o.first(), to = o.last();
        Lake lake = o.lake();
        if (o.load != null) {
            // History first, in the same Spark session: one JVM start instead of two for a backfill.
            int loaded = load(spark, lake, Path.of(o.load));
            if (loaded != 0) {
                return loaded;
            }
        }
        String bootstrap = o.bootstrap();
        Nightly.KafkaMode ingest = o.ingest();
        Nightly.KafkaMode publish = o.publish();
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
        Nightly.Options options = new Nightly.Options(lake, bootstrap, ingest, publish, o.maturityDays, o.rules(), o.out);
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

    public static String defaultLake() {
        return FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "lake"));
    }
}
