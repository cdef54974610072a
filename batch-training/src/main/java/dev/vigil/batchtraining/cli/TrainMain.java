package dev.vigil.batchtraining.cli;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.topic.Topic;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.LakeSpark;
import dev.vigil.featurelake.nightly.KafkaCheck;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.batchtraining.model.TrainingConfig;
import dev.vigil.batchtraining.run.TrainingRun;
import dev.vigil.batchtraining.streaming.ScorerTopics;
import dev.vigil.featurelake.cli.LakeMain;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./vigil train --date D [options]} ({@link TrainOptions}): trains, evaluates, gates, publishes;
 * prints the metrics table and the report's path. Also the small commands {@code ./vigil} runs around
 * training: {@code champion}, {@code card-states} and {@code score-stream}.
 */
public final class TrainMain {

    private TrainMain() {
    }

    /**
     * {@code score-stream [--line L] [--trigger-ms 500 | --real-time [--checkpoint-every-s 60]]
     * [--partitions 4] [--master M] [--decisions-topic T] [--features-topic T] [--start-at-ms MS]}: a
     * Spark Structured Streaming scorer of the load-test comparison and the shadow run (micro-batches,
     * or Real-Time Mode), until stopped.
     */
    @Command(name = "vigil train score-stream")
    static final class ScoreStream implements Callable<Integer> {
        @Option(names = "--line", description = "the model line")
        String line = "world";

        @Option(names = "--trigger-ms", description = "the micro-batch trigger")
        long triggerMs = 500;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--real-time", description = "Real-Time Mode (Spark 4.1) instead of micro-batches")
        boolean realTime;

        @Option(names = "--checkpoint-every-s",
                description = "real-time only: how often progress is checkpointed, in seconds (not a latency target; "
                        + "at least 5, Spark's spark.sql.streaming.realTimeMode.minBatchDuration)")
        long checkpointEverySeconds = 60;

        @Option(names = "--decisions-topic", description = "where decisions go (default: the decisions topic)")
        String decisionsTopic;

        @Option(names = "--features-topic", description = "micro-batches only: also each decision's feature vector"
                + " and score, as core's FeatureLog lines (the shadow run compares them)")
        String featuresTopic;

        @Option(names = "--start-at-ms", description = "read authorizations the broker stamped at or after this"
                + " epoch ms (default: from the newest on)")
        long startAtMs;

        @Option(names = "--partitions", description = "shuffle partitions")
        int partitions = 4;

        @Option(names = "--master", description = "Spark master (default local[2]; in Real-Time Mode a slot for every "
                + "topic partition, since each partition's task runs for the life of the query)")
        String master;

        @Override
        public Integer call() throws Exception {
            String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");
            String home = System.getProperty("vigil.home", ".vigil");
            System.setProperty("vigil.spark.partitions", Integer.toString(partitions));
            if (realTime && checkpointEverySeconds < 5) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--checkpoint-every-s must be at least 5 (Spark's minimum batch duration in Real-Time Mode)");
            }
            if (realTime && featuresTopic != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--features-topic is for micro-batches: the real-time scorer folds no card history to compare");
            }
            ScorerTopics topics = ScorerTopics.defaults().startingAt(startAtMs).withFeatures(featuresTopic);
            if (decisionsTopic != null) {
                topics = topics.withDecisions(decisionsTopic);
            }
            if (master == null) {
                // Real-Time Mode's tasks never end: each must hold a slot for the life of the query.
                // The topic's partitions as ./vigil topics makes them; with --master, that many cores are the caller's to give.
                master = realTime ? "local[" + Topic.AUTHORIZATIONS.partitions() + "]" : "local[2]";
            }
            SparkSession spark = LakeSpark.session("vigil-streaming-scorer", master);
            Path checkpoint = Path.of(home, "spark-scorer", "checkpoint-" + System.currentTimeMillis()).toAbsolutePath();
            var query = realTime
                    ? dev.vigil.batchtraining.streaming.RealTimeScorer.start(spark, bootstrap, topics, line,
                            java.time.Duration.ofSeconds(checkpointEverySeconds),
                            FileLocations.of(checkpoint))
                    : dev.vigil.batchtraining.streaming.StreamingScorer.start(spark, bootstrap, topics, line, triggerMs,
                            FileLocations.of(checkpoint));
            System.err.println("Spark streaming scorer running ("
                    + (realTime ? "Real-Time Mode, stateless, checkpoint every " + checkpointEverySeconds + " s"
                                : "micro-batches, trigger " + triggerMs + " ms")
                    + ", checkpoint " + checkpoint + "); stop it with Ctrl-C");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    query.stop();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }));
            query.awaitTermination();
            return 0;
        }
    }

    /** {@code champion [--line L]}: prints the line's champion from model-updates; exit 4 when there is none. */
    @Command(name = "vigil train champion")
    static final class Champion implements Callable<Integer> {
        @Option(names = "--line", description = "the model line")
        String line = "world";

        @Override
        public Integer call() {
            String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");
            var current = dev.vigil.batchtraining.release.Champions.current(bootstrap, line);
            if (current.isEmpty()) {
                System.out.println("no champion for line " + line + " on " + bootstrap);
                return 4;
            }
            System.out.println("champion of " + line + ": " + current.get().version() + " at " + current.get().uri());
            return 0;
        }
    }

    /**
     * {@code card-states --date D --out URI [--lake URI]}: every card's state folded from bronze up
     * to the end of D, for the scoring job's state bootstrap ({@code ./vigil bootstrap}).
     */
    @Command(name = "vigil train card-states")
    static final class CardStates implements Callable<Integer> {
        @Option(names = "--date", required = true, description = "fold bronze up to the end of this day")
        LocalDate through;

        @Option(names = "--out", required = true, description = "where the card states go (URI)")
        String out;

        @Option(names = "--lake", description = "the lake's URI; default <vigil.home>/lake")
        String lake;

        @Override
        public Integer call() {
            String home = System.getProperty("vigil.home", ".vigil");
            Lake lake = new Lake(this.lake != null ? this.lake : FileLocations.of(Path.of(home, "lake")));
            SparkSession spark = LakeSpark.session("vigil-card-states", LakeMain.sparkMaster(null));
            spark.sparkContext().setLogLevel("WARN");
            try {
                long started = System.nanoTime();
                long cards = dev.vigil.batchtraining.replay.CardStateExport.write(spark, lake, through, out);
                System.out.printf("Card states: %,d cards folded from bronze through %s in %.1f s (Spark), into %s%n",
                        cards, through, (System.nanoTime() - started) / 1e9, out);
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    /** {@code ./vigil train ...}: one training run in a session of its own. */
    @Command(name = "vigil train", sortOptions = false)
    static final class Train implements Callable<Integer> {
        @Mixin
        TrainOptions options = new TrainOptions();

        @Override
        public Integer call() throws Exception {
            SparkSession spark = LakeSpark.session("vigil-train", LakeMain.sparkMaster(options.master()));
            spark.sparkContext().setLogLevel("WARN");
            try {
                return train(spark, options);
            } finally {
                spark.stop();
            }
        }
    }

    /**
     * {@code ./vigil train} (the default), or one of the commands {@code champion},
     * {@code card-states} and {@code score-stream}; a bad option exits 64 with the command's usage.
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command; its exit code. */
    static int run(String[] args) {
        String first = args.length > 0 ? args[0] : "";
        Object command = switch (first) {
            case "champion" -> new Champion();
            case "card-states" -> new CardStates();
            case "score-stream" -> new ScoreStream();
            default -> new Train();
        };
        String[] rest = command instanceof Train ? args : Arrays.copyOfRange(args, 1, args.length);
        CommandLine cli = new CommandLine(command).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
        cli.setParameterExceptionHandler((e, argv) -> {
            System.err.println("vigil: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return 64;
        });
        return cli.execute(rest);
    }

    /**
     * Trains, evaluates, gates and publishes for {@code o}'s date in the given session; prints the
     * metrics table, the gate and the report's path. The night's entry point calls it after the lake.
     *
     * @return 0, or 2 when the run stops with a reason (printed)
     */
    public static int train(SparkSession spark, TrainOptions o) throws Exception {
        String bootstrap = o.bootstrap();
        Nightly.KafkaMode kafka = o.kafka();
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
        TrainingConfig config = TrainingConfig.load(o.config(), o.settings());
        TrainingRun.Options options = new TrainingRun.Options(o.lake(), o.store(), o.line(), bootstrap, useKafka, o.out(),
                o.truth(), config);
        long started = System.nanoTime();
        try {
            TrainingRun.Outcome r = new TrainingRun(spark, options, step -> System.out.println("train: " + step))
                    .run(Nightly.night(o.date()));
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
}
