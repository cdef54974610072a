package dev.vigil.realtimescoring.job;

import dev.vigil.core.config.Durations;
import dev.vigil.core.config.FileLocations;
import dev.vigil.core.token.TokenKey;
import dev.vigil.core.topic.Topic;
import dev.vigil.realtimescoring.io.KafkaIo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The scoring job's options, {@code --name value} (or {@code --name=value}). Anything else is
 * refused with picocli's message, so a typo in a deployment fails at submission rather than
 * running the job on a default. The defaults are the measured ones; the why of each is in
 * docs/decisions/0017 (Kafka and buffers) and 0006 (the detections' event time).
 */
@Command(name = "vigil-realtime-scoring", sortOptions = false)
public final class JobOptions {
    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: -Dvigil.kafka.bootstrap, else 127.0.0.1:9092)")
    String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");

    @Option(names = "--line", description = "the model line to serve")
    String line = "world";

    @Option(names = "--parallelism", description = "one task per core of this machine; the state is keyed in 128 groups")
    int parallelism = 2;

    @Option(names = "--checkpoints", description = "checkpoint URI (file://, s3://); default <vigil.home>/checkpoints")
    String checkpoints = FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "checkpoints"));

    @Option(names = "--checkpoint-interval", description = "each checkpoint briefly pauses the task; 30 s keeps that"
            + " off p99 while bounding what a recovery replays (decision 0007)")
    String checkpointInterval = "30s";

    @Option(names = "--buffer-timeout-ms", description = "network buffer flush interval of the decision path; 1 ms cost"
            + " CPU and gained no latency (decision 0017)")
    long bufferTimeoutMs = 5;

    @Option(names = "--out-of-orderness", converter = DurationText.class,
            description = "event-time slack of the scoring watermark (late routing, expiry)")
    Duration outOfOrderness = Duration.ofMinutes(5);

    @Option(names = "--detection-slack", converter = DurationText.class,
            description = "event-time slack of the CEP detections (the alerts' delay)")
    Duration detectionSlack = Duration.ofSeconds(10);

    @Option(names = "--detection-buffer-timeout-ms", description = "network buffer flush interval of the detections job:"
            + " its alerts wait seconds for the watermark anyway, and every early flush wakes threads on shared cores")
    long detectionBufferTimeoutMs = 100;

    @Option(names = "--detection-fetch-max-wait-ms", description = "the detections' source fetches up to 64 KB, waiting at most this long")
    int detectionFetchMaxWaitMs = 100;

    @Option(names = "--flink-conf", description = "further Flink settings, k=v[,k=v] (values without commas), for comparing them;"
            + " --parallelism and --buffer-timeout-ms still win over the same keys")
    String flinkConf = "";

    @Option(names = "--patterns", description = "on: run the FlinkCEP detections; off: fold + model + rules only")
    OnOff patterns = OnOff.ON;

    @Option(names = "--job", description = "which job this submits: all (scoring, and the detections when the patterns"
            + " are on), scoring or detections; a cluster with high availability runs one job per deployment (decision 0027)")
    Role job = Role.ALL;

    @Option(names = "--group", description = "consumer group of the authorizations source")
    String group = "vigil-scoring";

    @Option(names = "--start-from", converter = StartFromText.class,
            description = "committed|earliest|latest|at:EPOCH_MS: where authorizations start without a checkpoint")
    KafkaIo.StartFrom startFrom = KafkaIo.StartFrom.parse("committed");

    @Option(names = "--decisions-topic", description = "where decisions go (default: the decisions topic);"
            + " a shadow run gives each engine its own")
    String decisionsTopic = Topic.DECISIONS.topicName();

    @Option(names = "--alerts-topic", description = "where alerts go (default: the alerts topic); a shadow run's"
            + " own, so that its alerts reach no analyst")
    String alertsTopic = Topic.ALERTS.topicName();

    @Option(names = "--watches-topic", description = "where the detections put their watches on cards and scoring reads them"
            + " (default: card-watches); a shadow run's own")
    String watchesTopic = Topic.CARD_WATCHES.topicName();

    @Option(names = "--late-topic", description = "where late authorizations go (default: authorizations-late)")
    String lateTopic = Topic.AUTHORIZATIONS_LATE.topicName();

    @Option(names = "--features-topic", description = "also log each decision's feature vector and score here"
            + " (core's FeatureLog lines, keyed by authorization id); off by default: a shadow run compares them")
    String featuresTopic;

    @Option(names = "--alerts-from", description = "authorizations dated before this day are decided and folded, not alerted")
    LocalDate alertsFrom;

    @Option(names = "--sink-linger-ms", description = "how long the Kafka sinks gather records into one request")
    int sinkLingerMs = 2;

    @Option(names = "--sink-compression", description = "the sinks' compression of each request's batch (none, lz4, zstd, ...)")
    String sinkCompression = "lz4";

    // 16 KB or 5 ms, whichever comes first: at 1,000/s with the patterns off the job's CPU per decision
    // fell from a median 457 to 371 µs (three runs each) for 3 ms more at p50 and no worse p99; an idle
    // job then asks the broker 200 times a second instead of twice (decision 0017, 2026-12-07).
    @Option(names = "--fetch-min-bytes", description = "the authorization source's fetch size the broker waits for ...")
    int fetchMinBytes = 16 * 1024;

    @Option(names = "--fetch-max-wait-ms", description = "... for at most this long")
    int fetchMaxWaitMs = 5;

    @Option(names = "--from-savepoint", description = "start from this savepoint, e.g. the card state bootstrap's")
    String fromSavepoint;

    @Option(names = "--card-key-id", description = "key card state by each card's token under this tokenization key"
            + " (the announced next key, after ./vigil rekey), not by the token of record (decision 23)")
    String cardKeyId;

    /** {@code --patterns}' two values (on, off: any case). */
    enum OnOff { ON, OFF }

    /** {@code --job}'s values. */
    enum Role { ALL, SCORING, DETECTIONS }

    /** Parses the job's arguments; a bad one throws picocli's {@link CommandLine.ParameterException}. */
    public static JobOptions parse(String... argv) {
        JobOptions o = new JobOptions();
        // No @file expansion: a value is what the deployment wrote, never a file the job reads instead.
        // A repeated option takes its last value: ./vigil and the cluster scripts put their defaults
        // first and the user's arguments after them.
        new CommandLine(o).setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false)
                .setOverwrittenOptionsAllowed(true).parseArgs(argv);
        if (o.job == Role.DETECTIONS && !o.patternsOn()) {
            throw new IllegalArgumentException("--job detections runs the patterns: it cannot run with --patterns off");
        }
        if (o.cardKeyId != null && !TokenKey.isKeyId(o.cardKeyId)) {
            throw new IllegalArgumentException("--card-key-id must be a token key id (" + TokenKey.ID_SHAPE + ")");
        }
        return o;
    }

    /** The option names without their dashes, for checks of what deployments pass. */
    public static SortedSet<String> names() {
        SortedSet<String> out = new TreeSet<>();
        CommandLine.Model.CommandSpec.forAnnotatedObject(new JobOptions()).options()
                .forEach(opt -> out.add(opt.longestName().substring(2)));
        return Collections.unmodifiableSortedSet(out);
    }

    /** {@code --flink-conf}'s pairs, in the order given. */
    Map<String, String> flinkSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String setting : flinkConf.split(",")) {
            if (!setting.isBlank()) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--flink-conf takes key=value pairs, got " + setting);
                }
                out.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }
        return out;
    }

    boolean patternsOn() {
        return patterns == OnOff.ON;
    }

    static final class DurationText implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }

    static final class StartFromText implements CommandLine.ITypeConverter<KafkaIo.StartFrom> {
        @Override
        public KafkaIo.StartFrom convert(String value) {
            return KafkaIo.StartFrom.parse(value);
        }
    }
}
