package dev.vigil.loadtest.cli;

import dev.vigil.tools.CommandLines;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suites' command lines as ./vigil and the scripts under deploy/local write them parse to what
 * those scripts mean; what nobody could mean is refused with the usage exit code, before anything runs.
 */
class CommandLineTest {

    /** The command object picocli filled for {@code argv} (the last subcommand parsed). */
    @SuppressWarnings("unchecked")
    private static <T> T parsed(String... argv) {
        CommandLine.ParseResult r = Main.commandLine().parseArgs(argv);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return (T) r.commandSpec().userObject();
    }

    @Test
    void theLoadTestTakesWhatVigilPassesIt() {
        SuiteCommands.LoadTest t = parsed("loadtest", "--engine", "flink", "--command", "./vigil loadtest --rate 5000",
                "--engine-pid", "41", "--broker-pid", "42", "--rate", "5000", "--duration", "120s", "--warmup", "1m",
                "--scenario", "ramp", "--report", "/tmp/r", "--profile");
        assertEquals(5000, t.rate);
        assertEquals(Duration.ofSeconds(120), t.duration);
        assertEquals(Duration.ofMinutes(1), t.warmup);
        assertEquals("ramp", t.scenario);
        assertEquals(41, t.enginePid);
        assertEquals(42, t.brokerPid);
        assertEquals("./vigil loadtest --rate 5000", t.command);
        assertTrue(t.profile);
        assertNull(((SuiteCommands.LoadTest) parsed("loadtest")).duration, "the scenario picks the default duration");
    }

    @Test
    void theDrainsTwoHalvesTakeTheirOptionsAndCountsMayBeGrouped() {
        SuiteCommands.Drain.Fill fill = parsed("drain", "fill", "--authorizations", "1_000_000", "--report", "/tmp/d");
        assertEquals(1_000_000, fill.authorizations);
        SuiteCommands.Drain.Measure m = parsed("drain", "measure", "--report", "/tmp/d", "--command", "c",
                "--engine-pid", "7", "--profile");
        assertEquals(7, m.enginePid);
        assertTrue(m.profile);
        assertEquals(Duration.ofSeconds(120), m.quiet);
    }

    @Test
    void theDemosPanScanAndSummaryTakeWhatTheDemoPassesThem() {
        SuiteCommands.PanScanCommand scan = parsed("pan-scan", "--report", "/tmp/p", "--worlds", "42:3000,4242:2000",
                "--since-ms", "17", "--dirs", "/tmp/a,/tmp/b", "--api", "http://127.0.0.1:8080/");
        assertEquals(List.of("42:3000", "4242:2000"), scan.worlds);
        assertEquals(List.of("/tmp/a", "/tmp/b"), scan.dirs);
        assertEquals(17, scan.sinceMs);
        SuiteCommands.DemoSummaryCommand summary = parsed("demo-summary", "--api", "http://127.0.0.1:8080/", "--stream",
                "/tmp/stream.out", "--tags", "a,b", "--metrics", "", "--pan-scan", "/tmp/scan/report.json");
        assertNull(summary.metrics, "what a run did not produce is passed empty");
        assertEquals(java.nio.file.Path.of("/tmp/scan/report.json"), summary.panScan);
    }

    @Test
    void theComparisonAndTheShadowRunTakeWhatVigilPassesThem() {
        SuiteCommands.Compare c = parsed("compare", "--report", "/tmp/c", "--command", "./vigil loadtest --compare",
                "--run", "Flink, patterns off=/tmp/c/flink-patterns-off", "--run", "Spark micro-batches (500 ms)=/tmp/c/spark");
        assertEquals(List.of("Flink, patterns off", "Spark micro-batches (500 ms)"), List.copyOf(c.runs.keySet()),
                "labels keep their commas and the order given");
        assertEquals(java.nio.file.Path.of("/tmp/c/spark"), c.runs.get("Spark micro-batches (500 ms)"));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"shadow", "run", "--rate", "100"}), "run needs --report");
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"shadow"}), "shadow needs prepare or run");
        assertThrows(CommandLine.ParameterException.class, () -> parsed("shadow", "run", "--rate", "fast", "--report", "/tmp/s"));
    }

    @Test
    void whatNobodyCouldMeanIsAUsageError() {
        assertEquals(CommandLines.USAGE, Main.run(new String[] {}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"frobnicate"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"drain", "fill", "--authorizations", "many", "--report", "/tmp/d"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"drain"}), "drain needs fill or measure");
        assertThrows(CommandLine.ParameterException.class, () -> parsed("loadtest", "--runs"));
    }

    @Test
    void refusalsThatNeedTheWholeCommandAreUsageErrorsToo() {
        // Checked when the command runs, before it touches the broker.
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"loadtest", "--warmup", "60s", "--duration", "30s"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"pan-scan", "--report", "/tmp/p", "--worlds", "42"}));
    }
}
