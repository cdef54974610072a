package dev.vigil.realtimescoring.job;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.config.Durations;
import dev.vigil.core.topic.Topic;
import dev.vigil.realtimescoring.decide.ScoringSettings;
import dev.vigil.realtimescoring.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the scoring job against Kafka: on a local MiniCluster when started by {@code ./vigil score},
 * or on a Flink cluster when submitted as a job jar. Options are {@code --name value}.
 * <pre>
 *   --bootstrap 127.0.0.1:9092   Kafka
 *   --line world                 the model line to serve
 *   --parallelism 2
 *   --checkpoints file:///...    checkpoint URI (file://, s3://)
 *   --checkpoint-interval 30s
 *   --buffer-timeout-ms 5        network buffer flush interval (docs/decisions/0017: 1 ms cost CPU, no latency)
 *   --out-of-orderness 5m        event-time slack of the scoring watermark (late routing, expiry)
 *   --detection-slack 10s        event-time slack of the CEP detections (alert delay)
 *   --detection-buffer-timeout-ms 100   network buffer flush interval of the detections' edges
 *   --detection-fetch-max-wait-ms 100   the detections' source fetches up to 64 KB, waiting at most this long
 *   --flink-conf k=v[,k=v]       further Flink settings (RocksDB, state backend) for comparing them; values without
 *                                commas; --parallelism and --buffer-timeout-ms still win over the same keys
 *   --patterns on|off            run the FlinkCEP detections (on), or fold + model + rules only
 *   --group vigil-scoring        consumer group of the authorizations source
 *   --start-from committed       committed|earliest|latest|at:EPOCH_MS: where authorizations start without a checkpoint
 *   --from-savepoint URI         start from this savepoint, e.g. the card state bootstrap's (./vigil bootstrap)
 *   --card-key-id ID             key card state by each card's token under tokenization key ID (the announced
 *                                next key, after ./vigil rekey), not by the token of record (decision 23)
 *   --sink-linger-ms 2           how long the Kafka sinks gather records into one request
 *   --sink-compression lz4       the sinks' compression of each request's batch (none, lz4, zstd, ...)
 *   --fetch-min-bytes 1          the authorization sources' fetch size the broker waits for ...
 *   --fetch-max-wait-ms 500      ... for at most this long
 * </pre>
 */
public final class Main {
    /** The options above; anything else is refused, so a typo in a deployment fails at submission. */
    public static final java.util.Set<String> OPTIONS = java.util.Set.of("bootstrap", "line", "parallelism", "checkpoints",
            "checkpoint-interval", "buffer-timeout-ms", "out-of-orderness", "detection-slack", "patterns", "group",
            "start-from", "alerts-from", "sink-linger-ms", "fetch-min-bytes", "fetch-max-wait-ms", "flink-conf", "sink-compression", "detection-buffer-timeout-ms", "detection-fetch-max-wait-ms", "from-savepoint",
            "card-key-id");

    /** What the detections' source asks the broker to gather before it answers a fetch. */
    static final int DETECTION_FETCH_MIN_BYTES = 64 * 1024;

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> opts = options(argv);
        String bootstrap = opts.getOrDefault("bootstrap", System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092"));
        String line = opts.getOrDefault("line", "world");
        String checkpoints = opts.getOrDefault("checkpoints",
                FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "checkpoints")));
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("execution.checkpointing.dir", checkpoints);
        // Each checkpoint briefly pauses the task (the at-least-once sink flushes, heap timers are copied):
        // 30 s keeps that off p99 while bounding what a recovery replays (docs/decisions/0007).
        conf.setString("execution.checkpointing.interval", opts.getOrDefault("checkpoint-interval", "30s"));
        // At-least-once checkpoints never align barriers, so they never hold a decision back.
        conf.setString("execution.checkpointing.mode", "AT_LEAST_ONCE");
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "1s");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "30s");
        conf.setString("taskmanager.memory.managed.fraction", "0.2");
        // A local run (the MiniCluster ./vigil starts) ignores the fraction and gives RocksDB 128 MB, 64 MB
        // per slot at parallelism 2, shared by the scoring state and the CEP NFAs. 512 MB cut a drain's
        // steady CPU per decision from 254 µs to a median of 182 (149-209, four runs; docs/decisions/0017).
        // A cluster's task managers are sized by their own configuration; this line does not reach them.
        // --flink-conf taskmanager.memory.managed.size=... overrides it for a comparison.
        conf.setString("taskmanager.memory.managed.size", "512m");
        // Timers on the heap (checkpointed with the state): CEP and expiry timers stay off RocksDB's write path.
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        for (String setting : opts.getOrDefault("flink-conf", "").split(",")) {
            if (!setting.isBlank()) {
                int eq = setting.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--flink-conf takes key=value pairs, got " + setting);
                }
                conf.setString(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }
        if (opts.containsKey("from-savepoint")) {
            conf.setString("execution.state-recovery.path", opts.get("from-savepoint"));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(Integer.parseInt(opts.getOrDefault("parallelism", "2")));
        // 5 ms, not 1: at 1,000/s with the patterns off it cut the job's CPU per decision from ~580 to
        // ~450 µs, and p99 from 17 to 13 ms; each flush wakes threads for a handful of records (0017).
        env.setBufferTimeout(Long.parseLong(opts.getOrDefault("buffer-timeout-ms", "5")));

        String group = opts.getOrDefault("group", "vigil-scoring");
        KafkaIo.StartFrom start = KafkaIo.StartFrom.parse(opts.getOrDefault("start-from", "committed"));
        int fetchMinBytes = Integer.parseInt(opts.getOrDefault("fetch-min-bytes", "1"));
        int fetchMaxWaitMs = Integer.parseInt(opts.getOrDefault("fetch-max-wait-ms", "500"));
        // 2 ms of gathering per produce request: with the 5 ms buffer timeout, ~370 µs per decision and
        // p99 13 ms at 1,000/s (patterns off), the broker 0.40 cores instead of 0.54 (0017).
        int linger = Integer.parseInt(opts.getOrDefault("sink-linger-ms", "2"));
        String compression = opts.getOrDefault("sink-compression", "lz4");
        ScoringJob.Sources sources = new ScoringJob.Sources(
                KafkaIo.rawSource(bootstrap, Topic.AUTHORIZATIONS.topicName(), group, start, fetchMinBytes, fetchMaxWaitMs),
                // The detections read in batches: their alerts wait seconds for the watermark anyway (0017).
                KafkaIo.rawSource(bootstrap, Topic.AUTHORIZATIONS.topicName(), group + "-detections", start,
                        DETECTION_FETCH_MIN_BYTES, Integer.parseInt(opts.getOrDefault("detection-fetch-max-wait-ms", "100"))),
                KafkaIo.rawSource(bootstrap, Topic.CARD_PROFILES.topicName(), group + "-card-profiles", true),
                KafkaIo.rawSource(bootstrap, Topic.MERCHANT_PROFILES.topicName(), group + "-merchant-profiles", true),
                KafkaIo.rawSource(bootstrap, Topic.MODEL_UPDATES.topicName(), group + "-models", true),
                // From the start of the topic: the merchant risk's own expiry drops what is too old to count.
                KafkaIo.rawSource(bootstrap, Topic.LABELS.topicName(), group + "-labels", true));
        ScoringJob.Sinks sinks = new ScoringJob.Sinks(
                KafkaIo.sink(bootstrap, Topic.DECISIONS.topicName(), linger, compression),
                KafkaIo.sink(bootstrap, Topic.ALERTS.topicName(), linger, compression),
                KafkaIo.sink(bootstrap, Topic.AUTHORIZATIONS_DLQ.topicName(), linger, compression),
                KafkaIo.sink(bootstrap, Topic.AUTHORIZATIONS_LATE.topicName(), linger, compression),
                KafkaIo.sink(bootstrap, Topic.MODEL_UPDATES_DLQ.topicName(), linger, compression), null);
        ScoringSettings settings = ScoringSettings.defaults(line, ModelSigning.trustFromEnvironment());
        if (opts.containsKey("alerts-from")) {
            // Authorizations dated before this day are decided and folded but not alerted: history replayed
            // through the job (alerted on when it happened), or traffic that warms a new job.
            settings = settings.withAlertsFrom(java.time.LocalDate.parse(opts.get("alerts-from"))
                    .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
        }
        if (opts.containsKey("card-key-id")) {
            if (!dev.vigil.core.token.TokenKey.isKeyId(opts.get("card-key-id"))) {
                throw new IllegalArgumentException("--card-key-id must be a token key id ("
                        + dev.vigil.core.token.TokenKey.ID_SHAPE + ")");
            }
            settings = settings.withCardKeyId(opts.get("card-key-id"));
        }
        ScoringJob.build(env, sources, sinks, settings,
                Durations.parse(opts.getOrDefault("out-of-orderness", "5m")),
                opts.getOrDefault("patterns", "on").equals("off") ? null
                        : Durations.parse(opts.getOrDefault("detection-slack", "10s")),
                Long.parseLong(opts.getOrDefault("detection-buffer-timeout-ms",
                        Long.toString(ScoringJob.DETECTION_BUFFER_TIMEOUT_MS))));
        System.err.printf("Scoring job: Kafka %s, model line %s, parallelism %d, checkpoints %s%n", bootstrap, line,
                env.getParallelism(), checkpoints);
        env.execute("vigil-realtime-scoring");
    }

    static Map<String, String> options(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("options are --name value; got " + argv[i]);
            }
            String name = argv[i].substring(2);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; options: " + new java.util.TreeSet<>(OPTIONS));
            }
            out.put(name, argv[++i]);
        }
        return out;
    }
}
