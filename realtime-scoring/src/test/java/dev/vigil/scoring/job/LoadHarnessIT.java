package dev.vigil.scoring.job;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.loadtest.kafka.RealKafka;
import dev.vigil.loadtest.stream.LiveTraffic;
import dev.vigil.loadtest.stream.OpenLoopSender;
import dev.vigil.loadtest.suite.LoadTest;
import dev.vigil.loadtest.suite.Reports;
import dev.vigil.loadtest.suite.Result;
import dev.vigil.loadtest.suite.LoadScenario;
import dev.vigil.loadtest.world.Simulator;
import dev.vigil.loadtest.world.World;
import dev.vigil.loadtest.world.WorldConfig;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A smoke run of the load-test harness against the real job: completeness (every authorization
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
            LoadTest.Settings s = new LoadTest.Settings("flink", RealKafka.bootstrap(), t.authorizations(), t.decisions(),
                    150, Duration.ofSeconds(5), Duration.ofSeconds(1), LoadScenario.SPIKE, 100, Duration.ofSeconds(60));
            LoadTest.awaitEngine(s, source, Duration.ofMinutes(2), System.err::println);
            Result r = LoadTest.run(s, source, System.err::println);

            assertTrue(r.expected() > 900, "150/s, 450/s in the spike, for 5 s: " + r.expected());
            assertEquals(0, r.missing(), "every authorization decided");
            assertEquals(0, r.duplicates(), "no decision twice in a clean run");
            assertEquals(Result.CURVE.length, r.percentiles().length);
            assertTrue(!r.overTime().isEmpty());

            Reports.write(dir, r, List.of(r), null, "smoke");
            String json = Files.readString(dir.resolve("report.json"));
            for (String key : List.of("engine", "offered_rate", "achieved_rate", "duration_s", "p50_ms", "p90_ms", "p99_ms",
                    "p999_ms", "max_ms", "missing", "duplicates", "sla_p99_ms", "sla_pass")) {
                assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
            }
            assertTrue(json.matches("(?s).*\"sla_pass\":(true|false).*"), json);
            assertTrue(json.contains("\"missing\":0"), json);
            String html = Files.readString(dir.resolve("report.html"));
            assertEquals(2, html.split("<svg").length - 1, "percentile plot and latency over time");
        } finally {
            job.cancel().get();
        }
    }
}
