package dev.vigil.realtimescoring.job;

import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.topic.Topic;
import dev.vigil.realtimescoring.decide.ScoringSettings;
import dev.vigil.realtimescoring.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;


/**
 * Runs the scoring job and the detections job against Kafka: both on local MiniClusters when started
 * by {@code ./vigil score}, or one of them on a Flink cluster when submitted as a job jar with
 * {@code --job scoring|detections}. The options, their defaults and why: {@link JobOptions}.
 */
public final class Main {
    /** The options' names (without dashes): deployments are checked against them. */
    public static final java.util.Set<String> OPTIONS = JobOptions.names();

    /** What the detections' source asks the broker to gather before it answers a fetch. */
    static final int DETECTION_FETCH_MIN_BYTES = 64 * 1024;

    private Main() {
    }

    public static void main(String[] argv) throws Exception {
        JobOptions opts;
        try {
            opts = JobOptions.parse(argv);
        } catch (picocli.CommandLine.ParameterException e) {
            // Thrown, not exited: on a cluster this runs inside the Flink client, which reports it.
            throw new IllegalArgumentException(e.getMessage() + "; the options: " + OPTIONS, e);
        }
        ScoringSettings settings = ScoringSettings.defaults(opts.line, ModelSigning.trustFromEnvironment());
        if (opts.alertsFrom != null) {
            // Authorizations dated before this day are decided and folded but not alerted: history replayed
            // through the job (alerted on when it happened), or traffic that warms a new job.
            settings = settings.withAlertsFrom(opts.alertsFrom.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
        }
        if (opts.featuresTopic != null) {
            settings = settings.withFeatureLogging();
        }
        if (opts.cardKeyId != null) {
            settings = settings.withCardKeyId(opts.cardKeyId);
        }
        boolean scoring = opts.job != JobOptions.Role.DETECTIONS;
        boolean detections = opts.patternsOn() && opts.job != JobOptions.Role.SCORING;
        StreamExecutionEnvironment scoringEnv = scoring ? scoringJob(opts, settings) : null;
        StreamExecutionEnvironment detectionsEnv = detections ? detectionsJob(opts, settings) : null;
        System.err.printf("Vigil on Flink: Kafka %s, model line %s, parallelism %d, checkpoints %s, jobs: %s%n", opts.bootstrap,
                opts.line, opts.parallelism, opts.checkpoints,
                (scoring ? SCORING_JOB + " (RocksDB)" : "") + (scoring && detections ? ", " : "")
                        + (detections ? DETECTIONS_JOB + " (heap)" : ""));
        if (scoring && detections) {
            if (!(scoringEnv instanceof LocalStreamEnvironment)) {
                // A cluster client would submit both and then block on them; with HA, application mode runs one job.
                throw new IllegalArgumentException("on a cluster, submit --job scoring and --job detections separately");
            }
            runBoth(scoringEnv, detectionsEnv);
        } else if (scoring) {
            scoringEnv.execute(SCORING_JOB);
        } else {
            detectionsEnv.execute(DETECTIONS_JOB);
        }
    }

    /** The jobs' names, as the JobManager shows them. */
    public static final String SCORING_JOB = "vigil-realtime-scoring";
    public static final String DETECTIONS_JOB = "vigil-detections";

    /** Settings both jobs share: at-least-once checkpoints, retained, and the restart strategy. */
    private static Configuration common(JobOptions opts) {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.dir", opts.checkpoints);
        // Each checkpoint briefly pauses the task (the at-least-once sink flushes, heap timers are copied):
        // 30 s keeps that off p99 while bounding what a recovery replays (docs/decisions/0007).
        conf.setString("execution.checkpointing.interval", opts.checkpointInterval);
        // At-least-once checkpoints never align barriers, so they never hold a decision back.
        conf.setString("execution.checkpointing.mode", "AT_LEAST_ONCE");
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "1s");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "30s");
        return conf;
    }

    /** The decision path: per-card state on RocksDB, the card watches read from their topic. */
    private static StreamExecutionEnvironment scoringJob(JobOptions opts, ScoringSettings settings) {
        Configuration conf = common(opts);
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("taskmanager.memory.managed.fraction", "0.2");
        // A local run (the MiniCluster ./vigil starts) ignores the fraction and gives RocksDB 128 MB, 64 MB
        // per slot at parallelism 2. 512 MB cut a drain's steady CPU per decision from 254 µs to a median
        // of 182 (149-209, four runs; docs/decisions/0017). A cluster's task managers are sized by their
        // own configuration; this line does not reach them. --flink-conf overrides it for a comparison.
        conf.setString("taskmanager.memory.managed.size", "512m");
        // Timers on the heap (checkpointed with the state): expiry timers stay off RocksDB's write path.
        conf.setString("state.backend.rocksdb.timer-service.factory", "HEAP");
        conf.setString("state.backend.rocksdb.use-bloom-filter", "true");
        // 8 MB memtables, not 64: a checkpoint flushes the memtables in the task's synchronous phase, and
        // 64 MB of rewritten card records took hundreds of ms there. At 1,000/s with the patterns on, p99
        // went from 27.7 to 21.8 ms and p99.9 from 252 to 89 ms (medians of 3 runs; docs/decisions/0027).
        conf.setString("state.backend.rocksdb.writebuffer.size", "8mb");
        opts.flinkSettings().forEach(conf::setString);
        if (opts.fromSavepoint != null && opts.job != JobOptions.Role.DETECTIONS) {
            conf.setString("execution.state-recovery.path", opts.fromSavepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(opts.parallelism);
        // 5 ms, not 1: at 1,000/s with the patterns off it cut the job's CPU per decision from ~580 to
        // ~450 µs, and p99 from 17 to 13 ms; each flush wakes threads for a handful of records (0017).
        env.setBufferTimeout(opts.bufferTimeoutMs);

        String bootstrap = opts.bootstrap;
        String group = opts.group;
        KafkaIo.StartFrom start = opts.startFrom;
        // 2 ms of gathering per produce request: with the 5 ms buffer timeout, ~370 µs per decision and
        // p99 13 ms at 1,000/s (patterns off), the broker 0.40 cores instead of 0.54 (0017).
        int linger = opts.sinkLingerMs;
        String compression = opts.sinkCompression;
        ScoringJob.Sources sources = new ScoringJob.Sources(
                KafkaIo.rawSource(bootstrap, Topic.AUTHORIZATIONS.topicName(), group, start, opts.fetchMinBytes, opts.fetchMaxWaitMs),
                // The watches from the same point on as the authorizations: an earlier run's do not reach this one's cards.
                opts.patternsOn() ? KafkaIo.rawSource(bootstrap, opts.watchesTopic, group + "-watches", start) : null,
                KafkaIo.rawSource(bootstrap, Topic.CARD_PROFILES.topicName(), group + "-card-profiles", true),
                KafkaIo.rawSource(bootstrap, Topic.MERCHANT_PROFILES.topicName(), group + "-merchant-profiles", true),
                KafkaIo.rawSource(bootstrap, Topic.MODEL_UPDATES.topicName(), group + "-models", true),
                // From the start of the topic: the merchant risk's own expiry drops what is too old to count.
                KafkaIo.rawSource(bootstrap, Topic.LABELS.topicName(), group + "-labels", true));
        ScoringJob.Sinks sinks = new ScoringJob.Sinks(
                KafkaIo.sink(bootstrap, opts.decisionsTopic, linger, compression),
                KafkaIo.sink(bootstrap, opts.alertsTopic, linger, compression),
                KafkaIo.sink(bootstrap, Topic.AUTHORIZATIONS_DLQ.topicName(), linger, compression),
                KafkaIo.sink(bootstrap, opts.lateTopic, linger, compression),
                KafkaIo.sink(bootstrap, Topic.MODEL_UPDATES_DLQ.topicName(), linger, compression),
                opts.featuresTopic == null ? null : KafkaIo.sink(bootstrap, opts.featuresTopic, linger, compression));
        ScoringJob.build(env, sources, sinks, settings, opts.outOfOrderness);
        return env;
    }

    /**
     * The FlinkCEP detections, on heap state: on RocksDB their NFA's map-state iterations seek over the
     * tombstones of what it buffered and deleted, a quarter to a third of the whole job's CPU with the
     * patterns on (docs/decisions/0017, 0027). Their state is each card's partial matches for at most
     * 12 hours; a checkpoint copies it whole (hashmap state has no incremental checkpoints).
     */
    private static StreamExecutionEnvironment detectionsJob(JobOptions opts, ScoringSettings settings) {
        Configuration conf = common(opts);
        conf.setString("state.backend.type", "hashmap");
        opts.flinkSettings().forEach(conf::setString);
        if (opts.fromSavepoint != null && opts.job == JobOptions.Role.DETECTIONS) {
            // --job all: the savepoint is the scoring job's (a bootstrap's, or its own); the detections start afresh.
            conf.setString("execution.state-recovery.path", opts.fromSavepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(opts.parallelism);
        // The alerts wait seconds for the detection watermark, so batching their records costs nothing
        // anyone sees, while every early flush wakes threads on the cores the decision path needs (0017).
        env.setBufferTimeout(opts.detectionBufferTimeoutMs);
        String bootstrap = opts.bootstrap;
        DetectionJob.build(env,
                // The detections read in batches, for the same reason (0017).
                KafkaIo.rawSource(bootstrap, Topic.AUTHORIZATIONS.topicName(), opts.group + "-detections", opts.startFrom,
                        DETECTION_FETCH_MIN_BYTES, opts.detectionFetchMaxWaitMs),
                KafkaIo.sink(bootstrap, opts.alertsTopic, opts.sinkLingerMs, opts.sinkCompression),
                KafkaIo.sink(bootstrap, opts.watchesTopic, opts.sinkLingerMs, opts.sinkCompression),
                opts.detectionSlack, settings.watchMs(), settings.alertsFromMs(), settings.cardKeyId());
        return env;
    }

    /**
     * Both jobs from this JVM (a local run: each gets a MiniCluster of its own, with its own state
     * backend). Either one ending ends the other, so a failure is never half-hidden behind a job that
     * keeps running; the first failure is rethrown.
     */
    private static void runBoth(StreamExecutionEnvironment scoringEnv, StreamExecutionEnvironment detectionsEnv)
            throws Exception {
        JobClient scoring = scoringEnv.executeAsync(SCORING_JOB);
        JobClient detections;
        try {
            detections = detectionsEnv.executeAsync(DETECTIONS_JOB);
        } catch (Exception e) {
            stop(scoring);
            throw e;
        }
        CompletableFuture<?> scoringEnd = scoring.getJobExecutionResult();
        CompletableFuture<?> detectionsEnd = detections.getJobExecutionResult();
        try {
            CompletableFuture.anyOf(scoringEnd, detectionsEnd).get();
        } catch (ExecutionException failed) {
            // told below, once the other job is stopped
        }
        boolean scoringEnded = scoringEnd.isDone();
        stop(scoringEnded ? detections : scoring);
        (scoringEnded ? scoringEnd : detectionsEnd).get(); // throws the first job's failure
        throw new IllegalStateException("the " + (scoringEnded ? SCORING_JOB : DETECTIONS_JOB)
                + " job ended by itself; the other was stopped with it");
    }

    /** Cancels a job, waiting at most a minute; one that ended meanwhile is left as it is. */
    private static void stop(JobClient job) {
        try {
            job.cancel().get(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (Exception alreadyGoneOrStuck) {
            System.err.println("Stopping job " + job.getJobID() + ": " + alreadyGoneOrStuck);
        }
    }
}
