package dev.vigil.loadtest.cli;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.loadtest.measure.ProcessCpu;
import dev.vigil.loadtest.suite.LatencyHarness;
import dev.vigil.loadtest.suite.Resources;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java side of {@code ./vigil topics | generate | stream | replay | send-history} (the data tools),
 * of {@code ./vigil loadtest}, {@code bench api} and {@code demo}'s summary (the suites), and of
 * {@code ./vigil chaos}. Options are picocli's: {@code --name value} or {@code --name=value}; an unknown
 * option, a missing value or a value of the wrong kind exits 2 with the command's usage.
 */
@Command(name = "vigil", subcommands = {
        DataCommands.Topics.class, DataCommands.Generate.class, DataCommands.Stream.class, DataCommands.Replay.class,
        DataCommands.SendHistory.class, SuiteCommands.LoadTest.class, SuiteCommands.Drain.class,
        SuiteCommands.ApiBench.class, SuiteCommands.DemoSummaryCommand.class, ChaosCli.class})
public final class Main {
    /** Exit code of a usage error (and of a refused argument value), as before picocli. */
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs one command; returns its exit code (0, 1 failed, 2 usage, 3 a measured or judged failure, ...). */
    static int run(String[] argv) {
        String name = argv.length == 0 ? "" : argv[0];
        CommandLine cli = commandLine();
        cli.setParameterExceptionHandler((e, args) -> {
            System.err.println("vigil " + name + ": " + e.getMessage());
            e.getCommandLine().usage(System.err);
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                System.err.println("vigil " + name + ": " + e.getMessage());
                return USAGE;
            }
            System.err.println("vigil " + name + " failed: " + e);
            return 1;
        });
        if (argv.length == 0) {
            System.err.println("usage: topics | generate | stream | replay | send-history | loadtest | drain | api-bench"
                    + " | demo-summary | chaos  (see ./vigil help)");
            return USAGE;
        }
        return cli.execute(argv);
    }

    /** The command tree, for parsing tests. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
    }

    static PanTokenizer tokenizer() {
        PanTokenizer tokenizer = PanTokenizer.fromEnvironment(System.getenv());
        if (TokenKey.DEV_KEY_ID.equals(tokenizer.keyId())) {
            System.err.println("note: VIGIL_MODE=development: tokenizing with the published development key, for "
                    + "synthetic data only (set VIGIL_TOKEN_KEY_FILE and VIGIL_TOKEN_KEY_ID for real card data)");
        }
        if (tokenizer.nextKeyId() != null) {
            System.err.println("note: key '" + tokenizer.nextKeyId() + "' is announced: every record also carries "
                    + "its card's token under it (docs/tokenization-key.md)");
        }
        return tokenizer;
    }

    /** The engine (its process tree; JIT read from its JVM), the broker and this harness. */
    static LatencyHarness.Watched watched(long enginePid, long brokerPid) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(Resources.ENGINE, enginePid);
        pids.put("broker", brokerPid);
        pids.put("harness", ProcessHandle.current().pid());
        return new LatencyHarness.Watched(new ProcessCpu(pids), enginePid > 0 ? ProcessCpu.jvm(enginePid) : 0);
    }
}
