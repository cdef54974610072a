package dev.vigil.realtimescoring.job;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.measure.ProcessCpu;
import dev.vigil.testkit.harness.Drain;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.Resources;
import dev.vigil.realtimescoring.io.KafkaIo;
import org.apache.flink.configuration.Configuration;
import dev.vigil.testkit.harness.Reports;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke run of the test kit's latency harness against the real job: completeness (every authorization
 * decided once) and the report's format. Latency is never asserted here: tests do not time things;
 * {@code ./vigil loadtest} measures.
 */
class LoadHarnessIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void aShortSpikeRunDecidesEveryAuthorizationOnceAndWritesTheReport(@TempDir Path dir) throws Exception {
        ScoringJobIT.Topics t = ScoringJobIT.Topics.create();
        JobClient job = ScoringJobIT.start(t, "harness-" + System.nanoTime());
        try {
            Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                    new WorldConfig(5, 500, LocalDate.of(2024, 5, 1), "smoke", 1.0), new PanTokenizer(TokenKey.development())))));
            LatencyHarness.Settings s = new LatencyHarness.Settings("flink", RealKafka.bootstrap(), t.authorizations(), t.decisions(),
                    150, Duration.ofSeconds(5), Duration.ofSeconds(1), LoadScenario.SPIKE, 100, Duration.ofSeconds(60),
                    150); // no rising warm-up: the counts below are the spike's schedule
            LatencyHarness.awaitEngine(s, source, Duration.ofMinutes(2), System.err::println);
            // The MiniCluster runs in this JVM: it is the engine, so its CPU and JIT are read from here.
            long self = ProcessHandle.current().pid();
            Result r = LatencyHarness.run(s, source, System.err::println,
                    new LatencyHarness.Watched(new ProcessCpu(Map.of(Resources.ENGINE, self)), self));

            assertTrue(r.expected() > 900, "150/s, 450/s in the spike, for 5 s: " + r.expected());
            assertEquals(0, r.missing(), "every authorization decided");
            assertEquals(0, r.duplicates(), "no decision twice in a clean run");
            assertEquals(Result.CURVE.length, r.percentiles().length);
            assertTrue(!r.overTime().isEmpty());
            assertNotNull(r.resources(), "CPU over the measured window");
            assertTrue(r.resources().engineMicrosPerDecision() > 0, "the engine's CPU per decision");
            assertNull(r.resources().jitSettled(), "a spike's two halves run at different rates: not compared");
            assertNotNull(r.resources().jitBefore(), "jstat read the engine before the window");
            assertNotNull(r.resources().jitAfter(), "and after it");

            Reports.write(dir, r, List.of(r), null, "smoke");
            String json = Files.readString(dir.resolve("report.json"));
            for (String key : List.of("engine", "offered_rate", "achieved_rate", "duration_s", "p50_ms", "p90_ms", "p99_ms",
                    "p999_ms", "max_ms", "missing", "duplicates", "sla_p99_ms", "sla_pass", "window_s", "cpu",
                    "engine_cpu_us_per_decision", "jit_compiled_in_window", "jit_s_in_window", "jit_settled")) {
                assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
            }
            assertTrue(json.matches("(?s).*\"sla_pass\":(true|false).*"), json);
            assertTrue(json.contains("\"missing\":0"), json);
            String html = Files.readString(dir.resolve("report.html"));
            assertEquals(2, html.split("<svg").length - 1, "percentile plot and latency over time");
            assertTrue(html.contains("CPU over the measured window"), "the CPU line in the page");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aDrainStartsAtItsBacklogAndDecidesAllOfItOnce() throws Exception {
        ScoringJobIT.Topics t = ScoringJobIT.Topics.create();
        // Authorizations already on the topic before the backlog: a job started at the backlog never decides them.
        Drain.fill(RealKafka.bootstrap(), t.authorizations(), traffic("earlier"), 200, "earlier-", m -> { });
        Thread.sleep(50);
        Drain.Backlog backlog = Drain.fill(RealKafka.bootstrap(), t.authorizations(), traffic("backlog"), 1_500,
                "backlog-", m -> { });
        // The measurement starts first, as ./vigil loadtest starts it before the job: it refuses decisions made before it.
        long self = ProcessHandle.current().pid();
        var measuring = java.util.concurrent.CompletableFuture.supplyAsync(() -> Drain.measure(RealKafka.bootstrap(),
                t.decisions(), backlog, new LatencyHarness.Watched(new ProcessCpu(Map.of(Resources.ENGINE, self)), self),
                Duration.ofSeconds(90), System.err::println));
        Thread.sleep(2_000);
        JobClient job = ScoringJobIT.start(t, "drain-" + System.nanoTime(), new Configuration(),
                KafkaIo.StartFrom.parse("at:" + backlog.writtenFromEpochMs()), null);
        try {
            Drain.Outcome o = measuring.get(3, java.util.concurrent.TimeUnit.MINUTES);

            assertEquals(1_500, backlog.count());
            assertEquals(0, o.missing(), "every authorization of the backlog decided");
            assertEquals(0, o.duplicates());
            assertEquals(1_499, o.whole().decisions(), "counted from the first decision");
            assertNotNull(o.steady(), "the stretch after the first fifth");
            assertTrue(o.whole().engineMicrosPerDecision() > 0);
            assertTrue(Reports.json(o.fields()).contains("\"engine_cpu_us_per_decision\":"), Reports.json(o.fields()));
            List<String> decided = decisionIds(t.decisions());
            assertEquals(1_500, decided.stream().filter(id -> id.startsWith("backlog-")).distinct().count(),
                    "the reader sees the backlog's decisions");
            assertEquals(List.of(), decided.stream().filter(id -> id.startsWith("earlier-")).toList(),
                    "nothing before the backlog was decided");
        } finally {
            job.cancel().get();
        }
    }

    private static Iterator<OpenLoopSender.Message> traffic(String tag) {
        return LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                new WorldConfig(7, 300, LocalDate.of(2024, 5, 1), tag, 1.0), new PanTokenizer(TokenKey.development())))));
    }

    private static List<String> decisionIds(String topic) {
        List<String> ids = new java.util.ArrayList<>();
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
                dev.vigil.testkit.kafka.KafkaSettings.consumer(RealKafka.bootstrap(), "read-" + System.nanoTime()))) {
            c.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < 3_000_000_000L) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    ids.add(dev.vigil.core.json.DecisionCodec.INSTANCE.decode(r.value()).value().authorizationId());
                    quietSince = System.nanoTime();
                }
            }
        }
        return ids;
    }
}
