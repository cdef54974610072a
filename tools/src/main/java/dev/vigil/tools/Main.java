package dev.vigil.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./vigil topics | generate | stream | replay | send-history}: the data commands. Options are
 * picocli's, {@code --name value} or {@code --name=value}; an unknown option, a missing value or a
 * value of the wrong kind exits 2 with the command's usage, a failure exits 1.
 */
@Command(name = "vigil", subcommands = {DataCommands.Topics.class, DataCommands.Generate.class,
        DataCommands.Stream.class, DataCommands.Replay.class, DataCommands.SendHistory.class})
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs one command; returns its exit code. */
    static int run(String[] argv) {
        if (argv.length == 0) {
            System.err.println("usage: topics | generate | stream | replay | send-history  (see ./vigil help)");
            return CommandLines.USAGE;
        }
        return CommandLines.execute(commandLine(), argv);
    }

    /** The command tree, for parsing tests. */
    static CommandLine commandLine() {
        return CommandLines.commandLine(new Main());
    }
}
