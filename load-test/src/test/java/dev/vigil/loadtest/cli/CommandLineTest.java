package dev.vigil.loadtest.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tools' command lines as ./vigil and the scripts under deploy/local write them parse to what
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
    void theDataToolsTakeTheDemosAndChaosSuitesArguments() {
        DataCommands.Generate g = parsed("generate", "--cards", "3000", "--days", "28", "--fraud-scale", "4",
                "--start", "2026-11-02", "--seed", "4242", "--tag", "crash", "--out", "/tmp/world");
        assertEquals(3000, g.cards);
        assertEquals(4.0, g.fraudScale);
        assertEquals("crash", g.tag);
        DataCommands.Stream s = parsed("stream", "--rate", "800", "--duration", "25s", "--cards", "2000", "--seed", "4242",
                "--fraud-scale", "0", "--start", "2026-11-02", "--tag", "warm", "--truth", "/tmp/truth.txt", "--measure");
        assertEquals(Duration.ofSeconds(25), s.duration);
        assertEquals(Path.of("/tmp/truth.txt"), s.truth);
        assertTrue(s.measure);
        DataCommands.SendHistory h = parsed("send-history", "/tmp/world", "--labels-only");
        assertEquals(Path.of("/tmp/world"), h.dir);
        assertTrue(h.labelsOnly);
        DataCommands.Replay r = parsed("replay", "/tmp/fraudTest.csv", "--format", "sparkov", "--to-kafka");
        assertEquals("sparkov", r.mapping.format);
        assertTrue(r.toKafka);
    }

    @Test
    void theChaosJudgesTakeTheirScriptsArguments() {
        ChaosCli.Send send = parsed("chaos", "send", "--rate", "5000", "--duration", "30s", "--cards", "5000",
                "--hostile", "100000", "--out", "/tmp/run", "--seed", "7");
        assertEquals(100_000, send.hostile);
        assertEquals(7L, send.seed);
        assertNull(((ChaosCli.Send) parsed("chaos", "send", "--out", "/tmp/run")).seed, "a new world unless asked");
        ChaosCli.Models.Bad bad = parsed("chaos", "models", "bad", "--store", "file:///s", "--line", "chaos",
                "--champion", "v1", "--out", "/tmp/bad.json");
        assertEquals("v1", bad.champion);
        ChaosCli.PanScanCommand scan = parsed("chaos", "pan-scan", "--report", "/tmp/p", "--pans", "",
                "--worlds", "42:3000,4242:2000", "--dirs", "/tmp/a,/tmp/b");
        assertEquals(List.of("42:3000", "4242:2000"), scan.worlds);
        assertEquals(List.of("/tmp/a", "/tmp/b"), scan.dirs);
        ChaosCli.Api api = parsed("chaos", "api", "--api", "http://127.0.0.1:8089", "--run", "/tmp/r", "--report", "/tmp/p",
                "--reconnect");
        assertTrue(api.reconnect);
    }

    @Test
    void anOptionWrittenWithEqualsIsTheSameOption() {
        DataCommands.Stream s = parsed("stream", "--rate=250", "--duration=5m");
        assertEquals(250, s.rate);
        assertEquals(Duration.ofMinutes(5), s.duration);
    }

    @Test
    void whatNobodyCouldMeanIsAUsageError() {
        assertEquals(Main.USAGE, Main.run(new String[] {}));
        assertEquals(Main.USAGE, Main.run(new String[] {"frobnicate"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"stream", "--rat", "5"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"stream", "--duration", "soon"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"drain", "fill", "--authorizations", "many", "--report", "/tmp/d"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"drain"}), "drain needs fill or measure");
        assertEquals(Main.USAGE, Main.run(new String[] {"generate"}), "--out is required");
        assertEquals(Main.USAGE, Main.run(new String[] {"replay", "/tmp/x.csv"}), "a format or a mapping");
        assertEquals(Main.USAGE, Main.run(new String[] {"replay", "/tmp/x.csv", "--format", "a", "--mapping", "m"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"chaos", "models", "worse"}));
        assertThrows(CommandLine.ParameterException.class, () -> parsed("loadtest", "--runs"));
    }

    @Test
    void refusalsThatNeedTheWholeCommandAreUsageErrorsToo() {
        // Checked when the command runs, before it touches the broker.
        assertEquals(Main.USAGE, Main.run(new String[] {"send-history", "/tmp/none", "--labels-only", "--from", "2026-01-01"}));
        assertEquals(Main.USAGE, Main.run(new String[] {"loadtest", "--warmup", "60s", "--duration", "30s"}));
        assertFalse(Main.run(new String[] {"chaos", "pan-scan", "--report", "/tmp/p", "--worlds", "42"}) == 0);
    }
}
