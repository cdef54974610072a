package dev.vigil.batchtraining.cli;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.topic.Topic;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.LakeSpark;
import dev.vigil.featurelake.nightly.KafkaCheck;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.batchtraining.model.TrainingConfig;
import dev.vigil.batchtraining.run.TrainingRun;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./vigil train --date D [--lake URI] [--line L] [--store URI] [--truth DIR] [--config FILE]
 * [--set key=value ...] [--kafka auto|on|off]}: trains, evaluates, gates, publishes; prints the
 * metrics table and the report's path.
 */
public final class TrainMain {

    private TrainMain() {
    }

    /**
     * {@code score-stream [--line L] [--trigger-ms 500] [--partitions 4]}: the Spark Structured
     * Streaming scorer of the load-test comparison, until stopped.
     */
    static void scoreStream(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");
        String home = System.getProperty("vigil.home", ".vigil");
        System.setProperty("vigil.spark.partitions", o.getOrDefault("partitions", "4"));
        SparkSession spark = LakeSpark.session("vigil-streaming-scorer", o.getOrDefault("master", "local[2]"));
        Path checkpoint = Path.of(home, "spark-scorer", "checkpoint-" + System.currentTimeMillis()).toAbsolutePath();
        var query = dev.vigil.batchtraining.streaming.StreamingScorer.start(spark, bootstrap, o.getOrDefault("line", "world"),
                Long.parseLong(o.getOrDefault("trigger-ms", "500")), FileLocations.of(checkpoint));
        System.err.println("Spark streaming scorer running (trigger " + o.getOrDefault("trigger-ms", "500")
                + " ms, checkpoint " + checkpoint + "); stop it with Ctrl-C");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                query.stop();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }));
        query.awaitTermination();
    }

    /** {@code champion [--line L]}: prints the line's champion from model-updates; exit 4 when there is none. */
    static void champion(String[] args) {
        String line = args.length == 2 && args[0].equals("--line") ? args[1] : "world";
        String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");
        var current = dev.vigil.batchtraining.release.Champions.current(bootstrap, line);
        if (current.isEmpty()) {
            System.out.println("no champion for line " + line + " on " + bootstrap);
            System.exit(4);
        }
        System.out.println("champion of " + line + ": " + current.get().version() + " at " + current.get().uri());
    }

    /**
     * {@code card-states --date D --out URI [--lake URI]}: every card's state folded from bronze up
     * to the end of D, for the scoring job's state bootstrap ({@code ./vigil bootstrap}).
     */
    static void cardStates(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (args.length % 2 != 0 || !o.containsKey("date") || !o.containsKey("out")
                || !java.util.Set.of("date", "out", "lake").containsAll(o.keySet())) {
            System.err.println("usage: TrainMain card-states --date D --out URI [--lake URI]");
            System.exit(64);
        }
        String home = System.getProperty("vigil.home", ".vigil");
        Lake lake = new Lake(o.getOrDefault("lake", FileLocations.of(Path.of(home, "lake"))));
        LocalDate through = LocalDate.parse(o.get("date"));
        SparkSession spark = LakeSpark.session("vigil-card-states", System.getProperty("spark.master") == null ? "local[*]" : null);
        spark.sparkContext().setLogLevel("WARN");
        try {
            long started = System.nanoTime();
            long cards = dev.vigil.batchtraining.replay.CardStateExport.write(spark, lake, through, o.get("out"));
            System.out.printf("Card states: %,d cards folded from bronze through %s in %.1f s (Spark), into %s%n", cards,
                    through, (System.nanoTime() - started) / 1e9, o.get("out"));
        } finally {
            spark.stop();
        }
    }

    /** What training understands (besides repeated {@code --set key=value}); anything else is refused. */
    public static final java.util.Set<String> TRAIN_OPTIONS = java.util.Set.of("date", "lake", "store", "bootstrap",
            "kafka", "config", "line", "out", "truth", "master");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("champion")) {
            champion(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("card-states")) {
            cardStates(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("score-stream")) {
            scoreStream(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> o = new HashMap<>();
        Map<String, String> sets = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("options are --name value, got " + args[i]);
            }
            String name = args[i].substring(2), value = args[++i];
            if (name.equals("set")) {
                try {
                    addSetting(sets, value);
                } catch (IllegalArgumentException e) {
                    usage(e.getMessage());
                }
            } else {
                o.put(name, value);
            }
        }
        try {
            checkOptions(o);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
        String master = o.getOrDefault("master", System.getProperty("spark.master") == null ? "local[*]" : null);
        SparkSession spark = LakeSpark.session("vigil-train", master);
        spark.sparkContext().setLogLevel("WARN");
        int code;
        try {
            code = train(spark, o, sets);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** One {@code --set key=value}; a value without '=' is refused (IllegalArgumentException). */
    public static void addSetting(Map<String, String> sets, String keyValue) {
        String[] kv = keyValue.split("=", 2);
        if (kv.length != 2) {
            throw new IllegalArgumentException("--set takes key=value, got " + keyValue);
        }
        sets.put(kv[0], kv[1]);
    }

    /** Refuses (IllegalArgumentException) options training does not understand, or a missing date. */
    public static void checkOptions(Map<String, String> o) {
        if (!o.containsKey("date")) {
            throw new IllegalArgumentException("--date YYYY-MM-DD");
        }
        for (String name : o.keySet()) {
            if (!TRAIN_OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; options: "
                        + new java.util.TreeSet<>(TRAIN_OPTIONS) + " and --set");
            }
        }
    }

    /**
     * Trains, evaluates, gates and publishes for {@code o}'s date in the given session; prints the
     * metrics table, the gate and the report's path. The night's entry point calls it after the lake.
     *
     * @return 0, or 2 when the run stops with a reason (printed)
     * @throws IllegalArgumentException for options training does not understand
     */
    public static int train(SparkSession spark, Map<String, String> o, Map<String, String> sets) throws Exception {
        checkOptions(o);
        String home = System.getProperty("vigil.home", ".vigil");
        Lake lake = new Lake(o.getOrDefault("lake", FileLocations.of(Path.of(home, "lake"))));
        String store = o.getOrDefault("store", FileLocations.of(Path.of(home, "store")));
        String bootstrap = o.getOrDefault("bootstrap", System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092"));
        Nightly.KafkaMode kafka = Nightly.KafkaMode.parse("--kafka", o.getOrDefault("kafka", "auto"));
        boolean useKafka;
        try {
            useKafka = KafkaCheck.use(kafka, bootstrap, "kafka");
            if (useKafka) {
                KafkaCheck.requireTopic(bootstrap, Topic.MODEL_UPDATES.topicName());
            }
        } catch (IllegalStateException e) {
            // Not a usage error: the broker or its topic is missing (and the night's lake may be done).
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
        if (kafka == Nightly.KafkaMode.AUTO && !useKafka) {
            System.out.println("note: Kafka at " + bootstrap + " does not answer: no champion to compare with,"
                    + " and a model that passes is published but not promoted (--kafka on makes this an error)");
        }
        TrainingConfig config = TrainingConfig.load(o.containsKey("config") ? Path.of(o.get("config")) : null, sets);
        TrainingRun.Options options = new TrainingRun.Options(lake, store, o.getOrDefault("line", "world"), bootstrap,
                useKafka, Path.of(o.getOrDefault("out", home + "/runs/train")),
                o.containsKey("truth") ? Path.of(o.get("truth")) : null, config);
        long started = System.nanoTime();
        try {
            TrainingRun.Outcome r = new TrainingRun(spark, options, step -> System.out.println("train: " + step))
                    .run(Nightly.night(o.get("date")));
            System.out.printf("%n%-22s %12s %12s %12s%n", "holdout metric", "candidate", "baseline", "champion");
            for (String key : r.metrics().keySet()) {
                System.out.printf(Locale.ROOT, "%-22s %12.4f %12s %12s%n", key, r.metrics().get(key),
                        fmt(r.baselineMetrics().get(key)), fmt(r.championMetrics().get(key)));
            }
            System.out.printf("%nrows %s; XGBoost trained in %.1f s; run took %.1f s%n", r.rows(), r.trainSeconds(),
                    (System.nanoTime() - started) / 1e9);
            System.out.println("gate: " + r.gateReason());
            System.out.println(r.modelFolder() == null ? "model not published" : "model: " + r.modelFolder()
                    + (r.promoted() ? " (champion of line " + options.line() + ")" : " (published, not promoted)"));
            System.out.println("report: " + r.report().toAbsolutePath());
            return 0;
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("vigil: " + e.getMessage());
            return 2;
        }
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static void usage(String what) {
        System.err.println("vigil: " + what);
        System.err.println("usage: ./vigil train --date D [--lake URI] [--line L] [--store URI] [--truth DIR]"
                + " [--config FILE] [--set key=value] [--kafka auto|on|off] [--out DIR]");
        System.exit(64);
    }
}
