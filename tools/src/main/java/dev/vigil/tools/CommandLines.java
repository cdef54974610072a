package dev.vigil.tools;

import dev.vigil.core.config.Durations;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the tools' and the suites' command lines share: how they parse (a repeated option keeps its
 * last value, no @file expansion, whole numbers may group digits with _, an empty path is none), the
 * values picocli has no converter for, and the exit codes (2 usage, 1 failure, the command's own
 * otherwise).
 */
public final class CommandLines {
    /** Exit code of a usage error and of a refused argument value. */
    public static final int USAGE = 2;

    private CommandLines() {
    }

    /**
     * The command tree of {@code top}, set up as every tool parses. An empty path is no path: the
     * scripts pass {@code --truth ""} (and the like) for a file a run did not produce.
     */
    public static CommandLine commandLine(Object top) {
        CommandLine cli = new CommandLine(top).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
        cli.registerConverter(Path.class, value -> value.isBlank() ? null : Path.of(value));
        cli.registerConverter(Long.class, value -> new Count().convert(value));
        cli.registerConverter(Long.TYPE, value -> new Count().convert(value));
        cli.registerConverter(Integer.class, value -> Math.toIntExact(new Count().convert(value)));
        cli.registerConverter(Integer.TYPE, value -> Math.toIntExact(new Count().convert(value)));
        return cli;
    }

    /**
     * Runs {@code argv} on {@code cli}: a parse error prints the message and the command's usage
     * (exit 2); an IllegalArgumentException from the command is a usage error too; anything else
     * thrown is a failure (exit 1).
     */
    public static int execute(CommandLine cli, String[] argv) {
        String name = argv.length == 0 ? "" : argv[0];
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
        return cli.execute(argv);
    }

    /** Seconds, or a value with a unit: 90s, 5m, 1h. */
    public static final class DurationText implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("a duration such as 30, 30s, 5m or 1h, not '" + value + "'");
            }
        }
    }

    /** A whole number, optionally with _ between digit groups (300_000). */
    public static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("a whole number, not '" + value + "'");
            }
        }
    }
}
