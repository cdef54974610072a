package dev.vigil.realtimescoring.job;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.realtimescoring.decide.ScoringSettings;
import dev.vigil.realtimescoring.io.KafkaIo;
import dev.vigil.realtimescoring.model.TestModels;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job on a Flink MiniCluster against the real broker: generated traffic in, exactly one
 * decision per authorization out, bad records in the dead-letter topic with their reasons, a
 * champion published mid-stream serving the decisions after it, and a corrupt one refused.
 */
class ScoringJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The topics of one job run. */
    record Topics(String authorizations, String decisions, String alerts, String dlq, String late, String cardProfiles,
                  String merchantProfiles, String models, String labels, String watches) {
        static Topics create() throws Exception {
            return new Topics(RealKafka.newTopic("auth", 4), RealKafka.newTopic("dec", 4), RealKafka.newTopic("alerts", 2),
                    RealKafka.newTopic("dlq", 1), RealKafka.newTopic("late", 1), RealKafka.newTopic("cp", 2),
                    RealKafka.newTopic("mp", 1), RealKafka.newTopic("models", 1), RealKafka.newTopic("labels", 2),
                    RealKafka.newTopic("watches", 2));
        }
    }

    static JobClient start(Topics t, String group) throws Exception {
        return start(t, group, new Configuration(), true);
    }

    static JobClient start(Topics t, String group, Configuration conf, boolean fromEarliest) throws Exception {
        return start(t, group, conf, fromEarliest, null);
    }

    /**
     * With {@code fromEarliest} false the authorizations source resumes from the group's committed
     * offsets; with a {@code featuresTopic} the job logs every feature vector there.
     */
    static JobClient start(Topics t, String group, Configuration conf, boolean fromEarliest, String featuresTopic)
            throws Exception {
        return start(t, group, conf, fromEarliest ? KafkaIo.StartFrom.EARLIEST : KafkaIo.StartFrom.COMMITTED, featuresTopic);
    }

    /**
     * Both jobs, scoring and detections, in one job graph on the MiniCluster: they share no operator
     * and meet only through the watches topic, as the two jobs {@code Main} starts do.
     */
    static JobClient start(Topics t, String group, Configuration conf, KafkaIo.StartFrom from, String featuresTopic)
            throws Exception {
        String bootstrap = RealKafka.bootstrap();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.setBufferTimeout(1);
        ScoringJob.build(env,
                new ScoringJob.Sources(KafkaIo.rawSource(bootstrap, t.authorizations(), group, from),
                        KafkaIo.rawSource(bootstrap, t.watches(), group + "-watches", from),
                        KafkaIo.rawSource(bootstrap, t.cardProfiles(), group + "-cp", true),
                        KafkaIo.rawSource(bootstrap, t.merchantProfiles(), group + "-mp", true),
                        KafkaIo.rawSource(bootstrap, t.models(), group + "-models", true),
                        KafkaIo.rawSource(bootstrap, t.labels(), group + "-labels", true)),
                new ScoringJob.Sinks(KafkaIo.sink(bootstrap, t.decisions()), KafkaIo.sink(bootstrap, t.alerts()),
                        KafkaIo.sink(bootstrap, t.dlq()), KafkaIo.sink(bootstrap, t.late()), null,
                        featuresTopic == null ? null : KafkaIo.sink(bootstrap, featuresTopic)),
                featuresTopic == null ? ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust())
                        : ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust()).withFeatureLogging(),
                Duration.ofMinutes(5));
        DetectionJob.build(env, KafkaIo.rawSource(bootstrap, t.authorizations(), group + "-detections", from),
                KafkaIo.sink(bootstrap, t.alerts()), KafkaIo.sink(bootstrap, t.watches()), Duration.ofSeconds(10),
                Duration.ofHours(24).toMillis(), Long.MIN_VALUE, null);
        return env.executeAsync("scoring-it");
    }

    static List<Authorization> traffic(long seed, int cards, int days) {
        Simulator sim = new Simulator(new World(new WorldConfig(seed, cards, LocalDate.of(2024, 4, 1), "it" + seed, 5.0),
                new PanTokenizer(TokenKey.development())));
        List<Authorization> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            sim.next().authorizations().stream().map(Generated::authorization).forEach(out::add);
        }
        return out;
    }

    static void send(Producer<String, byte[]> p, String topic, List<Authorization> auths) {
        for (Authorization a : auths) {
            p.send(new ProducerRecord<>(topic, a.cardToken(), AuthorizationCodec.INSTANCE.encode(a)));
        }
        p.flush();
    }

    static Map<String, List<Decision>> decisionsById(String topic, int expected) {
        Map<String, List<Decision>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : RealKafka.readAll(topic, expected, Duration.ofSeconds(120))) {
            Decision d = DecisionCodec.INSTANCE.decode(r.value()).value();
            out.computeIfAbsent(d.authorizationId(), k -> new ArrayList<>()).add(d);
        }
        return out;
    }

    /** Sends probe authorizations on fresh cards until every probe is decided by {@code version}. */
    static void awaitModel(Producer<String, byte[]> p, Topics t, String version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int round = 0;
        while (System.nanoTime() < deadline) {
            round++;
            List<Authorization> probes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Authorization a = TestData.auth("probe-" + version + "-" + round + "-" + i, 0, 1_000);
                String token = ("probe" + version + round + "x" + i + "_").repeat(4).replace('.', '_');
                probes.add(new Authorization(a.authorizationId(), token, "dev", null, null, 0, 1_000, "USD", 1_000, "USD",
                        "m", null, null, Double.NaN, Double.NaN, Authorization.NO_UTC_OFFSET, a.channel(), a.entryMode(),
                        null, a.eventTimeMs(), 1, null, null));
            }
            send(p, t.authorizations(), probes);
            Map<String, Decision> seen = new HashMap<>();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaSettings.consumer(RealKafka.bootstrap(), "probe-" + System.nanoTime()))) {
                c.subscribe(List.of(t.decisions()));
                long roundEnd = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (System.nanoTime() < roundEnd
                        && !probes.stream().allMatch(a -> seen.containsKey(a.authorizationId()))) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        Decision d = DecisionCodec.INSTANCE.decode(r.value()).value();
                        seen.put(d.authorizationId(), d);
                    }
                }
            }
            if (probes.stream().allMatch(a -> seen.containsKey(a.authorizationId())
                    && version.equals(seen.get(a.authorizationId()).modelVersion()))) {
                return;
            }
        }
        throw new AssertionError("model " + version + " never served");
    }

    /**
     * Labels for the golden input: about one authorization in twelve, a third of them verdicts of
     * "legitimate", some analyst verdicts later overridden by a chargeback, known 1 to 36 hours after
     * the authorization. Enough that many later authorizations at the same merchants read a risk.
     */
    static List<String> goldenLabels(List<Authorization> traffic) {
        List<String> out = new ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(78);
        for (Authorization a : traffic) {
            if (r.nextInt(12) != 0) {
                continue;
            }
            long known = a.eventTimeMs() + 3_600_000L * (1 + r.nextInt(36));
            boolean fraud = r.nextInt(3) != 0;
            dev.vigil.core.event.LabelSource source = r.nextBoolean()
                    ? dev.vigil.core.event.LabelSource.CHARGEBACK : dev.vigil.core.event.LabelSource.ANALYST;
            out.add(label(dev.vigil.core.event.Label.of(a.authorizationId(), a.cardToken(), a.merchantId(), fraud,
                    source, known, a.eventTimeMs(), source == dev.vigil.core.event.LabelSource.ANALYST ? "golden" : null)));
            if (source == dev.vigil.core.event.LabelSource.ANALYST && r.nextInt(3) == 0) {
                out.add(label(dev.vigil.core.event.Label.of(a.authorizationId(), a.cardToken(), a.merchantId(), !fraud,
                        dev.vigil.core.event.LabelSource.CHARGEBACK, known + 3_600_000L * (1 + r.nextInt(24)),
                        a.eventTimeMs(), null)));
            }
        }
        return out;
    }

    private static String label(dev.vigil.core.event.Label l) {
        return new String(dev.vigil.core.json.LabelCodec.INSTANCE.encode(l), StandardCharsets.UTF_8);
    }

    /**
     * Cancels and waits until the job is globally terminal: cancel() returns once the request is
     * acknowledged, while tasks may still write to (and the checkpoint coordinator still clean up)
     * folders under the test's temporary directory, which JUnit then fails to delete.
     */
    static void cancelAndWait(JobClient job) throws Exception {
        job.cancel().get();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException gone) {
                return; // the cluster no longer knows the job: it has ended
            }
            Thread.sleep(50);
        }
    }

    /**
     * The parity golden file: a fixed input through the job with a fixed XGBoost model gives these
     * feature vectors and scores, bit for bit, on every run. batch-training's replay is held to the
     * same file. {@code -Dvigil.golden.update=true} regenerates input, model and expectations;
     * the labels go to the job's labels topic, so the merchant-risk features are held to it too.
     */
    @Test
    void theJobReproducesTheGoldenFeatureVectorsAndScores(@TempDir Path store) throws Exception {
        Path golden = Path.of(System.getProperty("vigil.golden.dir", "../core/src/test/resources/golden"));
        boolean update = Boolean.getBoolean("vigil.golden.update");
        if (update) {
            Files.createDirectories(golden);
            List<String> lines = new ArrayList<>();
            for (Authorization a : traffic(77, 200, 3)) {
                lines.add(new String(AuthorizationCodec.INSTANCE.encode(a), StandardCharsets.UTF_8));
            }
            Files.write(golden.resolve("authorizations.jsonl"), lines);
            Files.write(golden.resolve("labels.jsonl"), goldenLabels(traffic(77, 200, 3)));
            var data = dev.vigil.realtimescoring.model.GeneratedFeatures.of(21, 1_500, 6, 30.0);
            Files.write(golden.resolve("model.json"), dev.vigil.realtimescoring.model.XgboostOracle.json(
                    dev.vigil.realtimescoring.model.XgboostOracle.train(data.vectors(), data.labels(), 60, 5, 7)));
        }
        List<Authorization> input = new ArrayList<>();
        for (String line : Files.readAllLines(golden.resolve("authorizations.jsonl"))) {
            input.add(AuthorizationCodec.INSTANCE.decode(line.getBytes(StandardCharsets.UTF_8)).value());
        }
        byte[] booster = Files.readAllBytes(golden.resolve("model.json"));
        ModelUpdate model = dev.vigil.core.model.ModelArtifacts.publish(new dev.vigil.core.model.LocalBlobStore(),
                FileLocations.of(store), booster, TestModels.manifest("golden", booster), System.currentTimeMillis(),
                dev.vigil.core.model.ModelSigning.developmentSigner());

        Topics t = Topics.create();
        String features = RealKafka.newTopic("features", 2);
        JobClient job = start(t, "golden-" + System.nanoTime(), new Configuration(), true, features);
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            p.send(new ProducerRecord<>(t.models(), TestModels.LINE, TestModels.json(model)));
            p.flush();
            awaitModel(p, t, "golden");
            // The labels go first, ahead of the traffic: the rule reads only those known by each
            // authorization's time, so the features must not depend on when a label arrived.
            List<String> labels = Files.readAllLines(golden.resolve("labels.jsonl"));
            for (String label : labels) {
                p.send(new ProducerRecord<>(t.labels(), null, label.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
            Thread.sleep(2_000);
            send(p, t.authorizations(), input);
            Map<String, String> produced = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    KafkaSettings.consumer(RealKafka.bootstrap(), "golden-" + System.nanoTime()))) {
                c.subscribe(List.of(features));
                while (System.nanoTime() < deadline
                        && !input.stream().allMatch(a -> produced.containsKey(a.authorizationId()))) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        produced.put(r.key(), new String(r.value(), StandardCharsets.US_ASCII));
                    }
                }
            }
            List<String> lines = new ArrayList<>();
            lines.add("authorization_id,score," + String.join(",", dev.vigil.core.feature.FeatureSet.NAMES));
            for (Authorization a : input) {
                String line = produced.get(a.authorizationId());
                assertNotNull(line, "the job logged the features of " + a.authorizationId());
                lines.add(line);
            }
            Path expected = golden.resolve("features.csv");
            if (update) {
                Files.write(expected, lines);
                System.out.println("golden files rewritten in " + golden.toAbsolutePath());
            }
            List<String> want = Files.readAllLines(expected);
            assertEquals(want.size(), lines.size());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i), lines.get(i), "golden line " + i);
            }
        } finally {
            cancelAndWait(job);
        }
    }

    /**
     * Stop with a savepoint mid-stream (RocksDB, incremental), restart from it, and every decision's
     * per-card counters equal a straight replay of the fold: nothing lost, nothing counted twice.
     */
    @Test
    void afterAStopAndARestoreTheCardCountersEqualAStraightReplay(@TempDir Path dir) throws Exception {
        Topics t = Topics.create();
        Simulator sim = new Simulator(new World(new WorldConfig(3, 300, LocalDate.of(2024, 4, 1), "rs", 5.0),
                new PanTokenizer(TokenKey.development())));
        List<Authorization> first = new ArrayList<>(), second = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            sim.next().authorizations().stream().map(Generated::authorization).forEach(d < 2 ? first::add : second::add);
        }
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.incremental", "true");
        // A folder with a space, as a clone may be: Flink's paths take file: locations unencoded.
        conf.setString("execution.checkpointing.dir", FileLocations.of(dir.resolve("my clone/checkpoints")));
        conf.setString("execution.checkpointing.interval", "1s");
        conf.setString("execution.checkpointing.mode", "AT_LEAST_ONCE");
        String group = "restore-" + System.nanoTime();
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            // Committed offsets, not the earliest: had the state not been restored, the second job
            // would start counting each card from one again and the check below would fail.
            JobClient job = start(t, group, conf, false);
            send(p, t.authorizations(), first);
            decisionsById(t.decisions(), first.size());
            String savepoint = job.stopWithSavepoint(false, FileLocations.of(dir.resolve("my clone/savepoints")),
                    SavepointFormatType.CANONICAL).get();
            assertTrue(Files.isDirectory(dir.resolve("my clone/savepoints")), "savepoints in 'my clone', not my%20clone");

            send(p, t.authorizations(), second);
            Configuration restore = new Configuration(conf);
            restore.setString("execution.state-recovery.path", savepoint);
            JobClient resumed = start(t, group, restore, false);
            try {
                Map<String, List<Decision>> decided = decisionsById(t.decisions(), first.size() + second.size());
                List<Authorization> all = new ArrayList<>(first);
                all.addAll(second);
                Map<String, Long> replayed = new HashMap<>();
                for (Authorization a : all) {
                    long expected = replayed.merge(a.cardToken(), 1L, Long::sum);
                    List<Decision> copies = decided.get(a.authorizationId());
                    assertNotNull(copies, "decided: " + a.authorizationId());
                    for (Decision d : copies) {
                        assertEquals(expected, d.cardAuthCount(), "card counter after " + a.authorizationId());
                        assertEquals(a.cardSeq(), d.cardLastSeq());
                    }
                }
                assertEquals(all.size(), decided.size(), "one decision per authorization, before and after the restore");
            } finally {
                cancelAndWait(resumed);
            }
        }
    }

    /**
     * Across the two jobs: card testing (four small online probes, then a cash-out) matched by the
     * detections job reaches the scoring job through the watches topic, and the card's later
     * authorizations are decided under the watch. Later authorizations on the card keep coming
     * until one carries the watch: they also move the detections' watermark past the cash-out.
     */
    @Test
    void aPatternMatchedByTheDetectionsJobPutsTheCardUnderWatchInTheScoringJob() throws Exception {
        Topics t = Topics.create();
        String card = "watched" + "W".repeat(36);
        long start = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        long[] probes = {100, 250, 99, 300};
        List<Authorization> testing = new ArrayList<>();
        for (int i = 0; i < probes.length; i++) {
            testing.add(online("probe-" + i, card, start + i * 30_000L, probes[i], i + 1));
        }
        testing.add(online("cash-out", card, start + 6 * 60_000L, 120_000, 5));
        JobClient job = start(t, "watch-" + System.nanoTime());
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()));
             KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                     KafkaSettings.consumer(RealKafka.bootstrap(), "watch-probe-" + System.nanoTime()))) {
            c.subscribe(List.of(t.decisions()));
            send(p, t.authorizations(), testing);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int later = 0;
            Decision watched = null;
            while (watched == null && System.nanoTime() < deadline) {
                later++;
                send(p, t.authorizations(), List.of(online("later-" + later, card, start + (10 + later) * 60_000L, 2_000, 5 + later)));
                long roundEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (watched == null && System.nanoTime() < roundEnd) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        Decision d = DecisionCodec.INSTANCE.decode(r.value()).value();
                        if (d.authorizationId().startsWith("later-") && d.reasons().contains("WATCH:CARD_TESTING")) {
                            watched = d;
                        }
                    }
                }
            }
            assertNotNull(watched, "no authorization after the card testing was decided under its watch");
            assertFalse(watched.action() == dev.vigil.core.event.Action.APPROVE, "a watched card is at least reviewed");
            List<CardWatchEntry> watches = RealKafka.readAll(t.watches(), 1, Duration.ofSeconds(10)).stream()
                    .map(r -> new CardWatchEntry(r.key(), dev.vigil.core.json.CardWatchCodec.INSTANCE.decode(r.value()).value()))
                    .toList();
            assertEquals(card, watches.get(0).key(), "the watch is keyed by its card");
            assertEquals("cash-out", watches.get(0).watch().authorizationId());
        } finally {
            cancelAndWait(job);
        }
    }

    private record CardWatchEntry(String key, dev.vigil.core.event.CardWatch watch) {
    }

    private static Authorization online(String id, String card, long eventTimeMs, long cents, long seq) {
        Authorization a = TestData.at(TestData.auth(id, 0, cents), "shop-" + id, "US", Double.NaN, Double.NaN,
                dev.vigil.core.event.Channel.ECOMMERCE);
        return new Authorization(a.authorizationId(), card, a.tokenKeyId(), a.bin(), a.last4(), a.panLength(),
                a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(),
                a.merchantCountry(), a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(), a.entryMode(),
                a.hostDecline(), eventTimeMs, seq, null, null);
    }

    /**
     * A backlog (a job starting behind, or catching up after an outage) is read a fetch at a time
     * per partition: hours of one partition's event time, then hours of the next one's. Each
     * partition's watermark is its own, so none of those records is late, and every one is decided.
     * One authorization a month older than the backlog, sent after it, must be the only late one:
     * it shows the watermark did move, so "none late" is not a late path that never ran.
     */
    @Test
    void aBacklogReadPartitionByPartitionHasNoLateAuthorizations() throws Exception {
        Topics t = Topics.create();
        List<Authorization> backlog = traffic(5, 300, 4);
        Authorization monthOld = new Simulator(new World(new WorldConfig(6, 50, LocalDate.of(2024, 3, 1), "old", 0.0),
                new PanTokenizer(TokenKey.development()))).next().authorizations().get(0).authorization();
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            send(p, t.authorizations(), backlog);
            JobClient job = start(t, "backlog-" + System.nanoTime());
            try {
                assertEquals(backlog.size(), decisionsById(t.decisions(), backlog.size()).size(), "every one decided");
                send(p, t.authorizations(), List.of(monthOld));
                List<ConsumerRecord<String, byte[]>> late = RealKafka.readAll(t.late(), 1, Duration.ofSeconds(60));
                assertEquals(List.of(monthOld.authorizationId()), late.stream()
                                .map(r -> AuthorizationCodec.INSTANCE.decode(r.value()).value().authorizationId()).toList(),
                        "only the month-old authorization is late, out of a " + backlog.size() + "-record backlog");
            } finally {
                cancelAndWait(job);
            }
        }
    }

    @Test
    void everyAuthorizationIsDecidedOnceAndModelsSwapWithoutARestart(@TempDir Path store) throws Exception {
        Topics t = Topics.create();
        List<Authorization> before = traffic(1, 300, 2);
        List<Authorization> after = traffic(2, 300, 2);
        JobClient job = start(t, "it-" + System.nanoTime());
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            send(p, t.authorizations(), before);
            String pan = "4111111111111111";
            List<byte[]> bad = List.of("{".getBytes(), "not json at all".getBytes(), new byte[]{0, 1, 2, (byte) 0xff},
                    ("{\"v\":1,\"card_number\":\"" + pan + "\"}").getBytes(StandardCharsets.UTF_8),
                    "{\"v\":2}".getBytes(), "x".repeat(20_000).getBytes());
            for (byte[] b : bad) {
                p.send(new ProducerRecord<>(t.authorizations(), "bad", b));
            }
            p.flush();

            Map<String, List<Decision>> first = decisionsById(t.decisions(), before.size());
            for (Authorization a : before) {
                Decision d = first.get(a.authorizationId()).get(0);
                assertEquals(List.of("NO_MODEL"), d.reasons().subList(0, 1), "no champion yet");
            }

            ModelUpdate v1 = TestModels.publish(store, "v1");
            p.send(new ProducerRecord<>(t.models(), TestModels.LINE, TestModels.json(v1)));
            p.flush();
            awaitModel(p, t, "v1");

            ModelUpdate v2 = TestModels.publish(store, "v2");
            Files.write(FileLocations.path(v2.uri() + "/model.json"), "{}".getBytes());
            p.send(new ProducerRecord<>(t.models(), TestModels.LINE, TestModels.json(v2)));
            p.flush();
            Thread.sleep(1_000);
            send(p, t.authorizations(), after);

            int probes = 0;
            Map<String, List<Decision>> all = decisionsById(t.decisions(), before.size() + after.size());
            for (String id : all.keySet()) {
                if (id.startsWith("probe-")) {
                    probes++;
                }
            }
            all = decisionsById(t.decisions(), before.size() + after.size() + probes);
            int distinct = 0;
            for (List<Decision> copies : all.values()) {
                distinct++;
                for (Decision copy : copies) {
                    assertTrue(copy.sameOutcome(copies.get(0)), "a redelivered decision is identical");
                }
            }
            assertEquals(before.size() + after.size() + probes, distinct, "exactly one decision per authorization");
            for (Authorization a : after) {
                Decision d = all.get(a.authorizationId()).get(0);
                assertEquals("v1", d.modelVersion(), "decided by the champion; the corrupt v2 never serves");
                assertFalse(Float.isNaN(d.score()));
            }

            List<ConsumerRecord<String, byte[]>> dead = RealKafka.readAll(t.dlq(), bad.size(), Duration.ofSeconds(30));
            assertEquals(bad.size(), dead.size(), "every bad record is in the dead-letter topic");
            for (ConsumerRecord<String, byte[]> r : dead) {
                var reason = r.headers().lastHeader(KafkaIo.DLQ_REASON_HEADER);
                assertNotNull(reason, "with its reason");
                assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(pan), "digits masked");
            }
        } finally {
            cancelAndWait(job);
        }
    }
}
