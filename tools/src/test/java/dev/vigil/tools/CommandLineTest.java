package dev.vigil.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data tools' command lines as ./vigil and the scripts under deploy/local write them parse to what
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
    void anOptionWrittenWithEqualsIsTheSameOptionAndTheLastOfARepeatWins() {
        DataCommands.Stream s = parsed("stream", "--rate=250", "--duration=5m", "--cards", "10", "--cards", "10_000");
        assertEquals(250, s.rate);
        assertEquals(Duration.ofMinutes(5), s.duration);
        assertEquals(10_000, s.cards);
        assertNull(((DataCommands.Stream) parsed("stream", "--truth", "")).truth, "an empty path is no file");
    }

    @Test
    void whatNobodyCouldMeanIsAUsageError() {
        assertEquals(CommandLines.USAGE, Main.run(new String[] {}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"frobnicate"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"stream", "--rat", "5"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"stream", "--duration", "soon"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"stream", "--max", "many"}));
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"generate"}), "--out is required");
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"replay", "/tmp/x.csv"}), "a format or a mapping");
        assertEquals(CommandLines.USAGE, Main.run(new String[] {"replay", "/tmp/x.csv", "--format", "a", "--mapping", "m"}));
    }

    @Test
    void refusalsThatNeedTheWholeCommandAreUsageErrorsToo() {
        // Checked when the command runs, before it touches the broker.
        assertEquals(CommandLines.USAGE,
                Main.run(new String[] {"send-history", "/tmp/none", "--labels-only", "--from", "2026-01-01"}));
    }
}
