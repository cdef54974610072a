package dev.vigil.loadtest.cluster;

import dev.vigil.core.json.JsonTree;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.local.LocalVigil;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system beyond one machine, as a user runs it: {@code ./vigil cluster up} (a broker, a Flink
 * session cluster with the scoring job jar submitted, a Spark standalone cluster, each daemon its own
 * JVM), an authorization stream through the job, the night through spark-submit on the Spark cluster,
 * then {@code ./vigil cluster down} (the job stops with a savepoint) and {@code up} again, which must
 * resume from it and decide again. Everything runs on ports and in a folder of its own, so what lands
 * in the lake is exactly what this test sent; {@code ./vigil} starts and stops the daemons, the test
 * judges what came out (Kafka, the night's summary, the savepoint). Every step's output is kept in
 * {@code .vigil/test/cluster-logs/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Path HOME = LocalVigil.ROOT.resolve(".vigil/test/cluster");
    private static final Path LOGS = LocalVigil.ROOT.resolve(".vigil/test/cluster-logs");
    private static final String KAFKA_PORT = System.getProperty("vigil.test.cluster.kafka.port", "29092");
    private static final String BOOTSTRAP = "127.0.0.1:" + KAFKA_PORT;
    private static final String[] JOB = {"--group", "vigil-cluster-test", "--start-from", "latest"};
    private static final LocalVigil VIGIL = new LocalVigil(HOME, LOGS, Map.of(
            "VIGIL_KAFKA_PORT", KAFKA_PORT,
            "VIGIL_KAFKA_DIR", HOME.resolve("kafka").toString(),
            "VIGIL_KAFKA_BOOTSTRAP", BOOTSTRAP,
            "VIGIL_FLINK_DIR", HOME.resolve("flink").toString(),
            "VIGIL_FLINK_PORT", System.getProperty("vigil.test.cluster.flink.port", "18081"),
            "VIGIL_FLINK_RPC_PORT", System.getProperty("vigil.test.cluster.flink.rpc.port", "16123"),
            "VIGIL_SPARK_DIR", HOME.resolve("spark").toString(),
            "VIGIL_SPARK_PORT", System.getProperty("vigil.test.cluster.spark.port", "17077"),
            "VIGIL_SPARK_WORKER_MEMORY", "2g"));

    /** Authorizations the first stream sent (its expected decisions, readiness probes not counted). */
    private static long sent;

    @BeforeAll
    static void clustersUp() throws Exception {
        LocalVigil.deleteRecursively(LOGS);
        run(false, "cluster", "down"); // what a previous run that died left running
        run(false, "kafka", "stop");
        LocalVigil.deleteRecursively(HOME);
        Files.createDirectories(HOME);
        Runtime.getRuntime().addShutdownHook(STOP_ON_EXIT);
        List<String> up = new ArrayList<>(List.of("cluster", "up"));
        up.addAll(List.of(JOB));
        vigil(up.toArray(String[]::new));
    }

    @AfterAll
    static void clustersDown() throws Exception {
        stopAll();
    }

    /** Stops what this test started; also run if the test JVM is stopped before @AfterAll (Ctrl-C, a killed fork). */
    private static final Thread STOP_ON_EXIT = new Thread(() -> {
        try {
            stopAll();
        } catch (Exception e) {
            System.err.println("ClusterIT: stopping its daemons failed: " + e);
        }
    });

    private static synchronized void stopAll() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            run(false, "cluster", "down");
        } finally {
            run(false, "kafka", "stop");
        }
    }

    private static boolean stopped;

    @Test
    @Order(1)
    void everyAuthorizationIsDecidedOnceByTheJobOnTheCluster() throws Exception {
        Result r = stream(200, Duration.ofSeconds(15), Duration.ofSeconds(3));
        assertEquals(0, r.missing(), "decisions missing");
        assertEquals(0, r.duplicates(), "duplicate decisions");
        assertTrue(r.expected() > 2_000, "the stream sent " + r.expected());
        assertTrue(r.measured() > 0 && r.p99Ms() < 60_000, "decisions timed after the warm-up, p99 under a minute");
        sent = r.expected();
    }

    @Test
    @Order(2)
    void theNightOnTheSparkClusterLandsWhatTheJobSawAndPublishesProfiles() throws Exception {
        assertTrue(sent > 0, "the stream ran first (order 1)");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        // Today is not over, so the freshness check (newest authorization near the day's end) is relaxed.
        vigil("nightly", "--cluster", "--date", today, "--lake", "file://" + HOME.resolve("lake"), "--ingest", "on",
                "--publish", "on", "--freshness-hours", "24", "--out", HOME.resolve("nightly").toString(), "--no-train");
        Map<String, Object> summary = JsonTree.object(JsonTree.parse(Files.readAllBytes(
                HOME.resolve("nightly").resolve(today).resolve("nightly-summary.json"))), "");
        assertEquals("succeeded", JsonTree.string(summary, "status"));
        Map<String, Object> ingested = JsonTree.object(summary, "rows_ingested");
        long authorizations = (long) JsonTree.number(ingested, "authorizations");
        long decisions = (long) JsonTree.number(ingested, "decisions");
        // The harness's readiness probes are authorizations too: the stream and a few probes, one decision each.
        assertTrue(authorizations >= sent && authorizations <= sent + 100,
                "bronze holds " + authorizations + " authorizations, the stream sent " + sent);
        assertEquals(authorizations, decisions, "one decision landed per authorization");
        assertTrue(JsonTree.number(summary, "card_profiles_published") > 0, "card profiles published");
    }

    @Test
    @Order(3)
    void clusterDownTakesASavepointAndUpResumesFromIt() throws Exception {
        vigil("cluster", "down");
        Path taken = HOME.resolve("flink/last-savepoint");
        assertTrue(Files.exists(taken), "cluster down took no savepoint");
        String savepoint = Files.readString(taken).trim(); // the next submit consumes the file
        List<String> up = new ArrayList<>(List.of("cluster", "up"));
        up.addAll(List.of(JOB));
        String said = vigil(up.toArray(String[]::new));
        assertTrue(said.contains("Resuming the scoring job from savepoint " + savepoint), said);
        Result r = stream(100, Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertTrue(r.expected() > 0 && r.measured() > 0, "the resumed job decided the stream");
        assertEquals(0, r.missing(), "the resumed job left decisions missing");
        assertEquals(0, r.duplicates(), "the resumed job decided twice");
    }

    /** Open-loop traffic at {@code rate} into the job on the cluster, measured as the load test does. */
    private static Result stream(double rate, Duration duration, Duration warmup) throws InterruptedException {
        var settings = new LatencyHarness.Settings("flink", BOOTSTRAP, Topic.AUTHORIZATIONS.topicName(),
                Topic.DECISIONS.topicName(), rate, duration, warmup, LoadScenario.STEADY, 60_000, Duration.ofSeconds(30));
        WorldConfig config = new WorldConfig(42, 2_000, LocalDate.now(ZoneOffset.UTC),
                "cl" + Long.toString(System.currentTimeMillis() / 1000, 36), 1.0);
        Iterator<OpenLoopSender.Message> source =
                LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(config, Tokenizers.fromEnvironment()))));
        LatencyHarness.awaitEngine(settings, source, Duration.ofMinutes(3), System.err::println);
        // The per-second sending progress stays out of the build's output; phases and the result stay in.
        Result r = LatencyHarness.run(settings, source, line -> {
            if (!line.contains(" sent (")) {
                System.err.println(line);
            }
        });
        System.err.printf("ClusterIT: %,d authorizations at %.0f/s, %,d missing, %,d duplicates, p99 %.1f ms%n",
                r.expected(), rate, r.missing(), r.duplicates(), r.p99Ms());
        return r;
    }

    private static String vigil(String... args) throws IOException, InterruptedException {
        return VIGIL.run(args);
    }

    private static String run(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        return mustSucceed ? VIGIL.run(args) : VIGIL.attempt(args);
    }
}
