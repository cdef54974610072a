package dev.vigil.loadtest.cli;

import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.Resources;
import dev.vigil.testkit.measure.ProcessCpu;
import dev.vigil.tools.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java side of the system suites: {@code ./vigil loadtest} (and its drain), {@code bench api},
 * the demo's PAN scan and summary ({@code ./vigil chaos} is a JUnit suite, ChaosIT). Options and
 * exit codes as the data tools'
 * ({@link CommandLines}); a measured or judged failure exits 3.
 */
@Command(name = "vigil", subcommands = {SuiteCommands.LoadTest.class, SuiteCommands.Drain.class,
        SuiteCommands.ApiBench.class, SuiteCommands.PanScanCommand.class, SuiteCommands.DemoSummaryCommand.class,
        SuiteCommands.Compare.class, dev.vigil.loadtest.shadow.ShadowCommand.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs one command; returns its exit code. */
    static int run(String[] argv) {
        if (argv.length == 0) {
            System.err.println("usage: loadtest | drain | compare | shadow | api-bench | pan-scan | demo-summary  (see ./vigil help)");
            return CommandLines.USAGE;
        }
        return CommandLines.execute(commandLine(), argv);
    }

    /** The command tree, for parsing tests. */
    static CommandLine commandLine() {
        return CommandLines.commandLine(new Main());
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
