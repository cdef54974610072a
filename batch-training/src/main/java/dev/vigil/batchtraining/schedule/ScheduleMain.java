package dev.vigil.batchtraining.schedule;

import dev.vigil.core.config.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./vigil schedule [--at 02:30] [--from D] [--attempts 3] [--retry-delay 10m] [--once] [-- NIGHTLY ARGS]}:
 * the night for each new day at a fixed UTC time, one schedule at a time, with retries and catch-up.
 * Each night is the night's entry point in a JVM of its own, {@code java @ARGFILE NIGHTLY ARGS --from
 * D1 --to D2}; the argument file ({@code vigil.night.argfile}) holds its JVM options, classpath and
 * main class, which ./vigil writes, so flags and classpaths stay in one place. A schedule runs the
 * build and settings it was started with: restart it after a rebuild.
 */
public final class ScheduleMain {
    private ScheduleMain() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv, Clock.systemUTC()));
    }

    @Command(name = "vigil schedule", sortOptions = false)
    static final class Options {
        @Option(names = "--at", description = "the night's time of day, UTC (HH:MM)")
        LocalTime at = LocalTime.of(2, 30);

        @Option(names = "--from", description = "the first night, when none ran yet; default the latest due")
        LocalDate from;

        @Option(names = "--attempts", description = "tries per night before the schedule gives up on it")
        int attempts = 3;

        @Option(names = "--retry-delay", converter = DurationText.class, description = "the wait between tries")
        Duration retryDelay = Duration.ofMinutes(10);

        @Option(names = "--once", description = "run what is due, then stop")
        boolean once;

        @Parameters(paramLabel = "NIGHTLY_OPTIONS", description = "after --: the night's options, without its dates")
        List<String> nightlyArgs = new ArrayList<>();
    }

    static int run(String[] argv, Clock clock) throws IOException, InterruptedException {
        Options o = new Options();
        CommandLine cli = new CommandLine(o).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true);
        try {
            cli.parseArgs(argv);
            if (!o.nightlyArgs.isEmpty() && !List.of(argv).contains("--")) {
                throw new IllegalArgumentException("the night's options go after --, got " + o.nightlyArgs);
            }
            if (o.attempts < 1) {
                throw new IllegalArgumentException("--attempts must be at least 1");
            }
            if (o.nightlyArgs.stream().anyMatch(a -> a.matches("--(date|from|to)(=.*)?"))) {
                throw new IllegalArgumentException("the schedule picks the nights; leave --date/--from/--to out");
            }
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            System.err.println("vigil: " + e.getMessage());
            cli.usage(System.err);
            return 64;
        }
        LocalTime at = o.at;
        LocalDate from = o.from;
        int attempts = o.attempts;
        Duration retryDelay = o.retryDelay;
        boolean once = o.once;
        List<String> nightlyArgs = o.nightlyArgs;
        Path home = Path.of(System.getProperty("vigil.home", ".vigil")).toAbsolutePath();
        Path dir = home.resolve("schedule");
        String offered = System.getProperty("vigil.night.argfile");
        if (offered == null || !java.nio.file.Files.isReadable(Path.of(offered))) {
            System.err.println("vigil: no night to run (vigil.night.argfile " + offered
                    + "): start the schedule with ./vigil schedule, which writes it");
            return 64;
        }
        // The offered file becomes the nights' only once this schedule holds the lock: a second
        // schedule, refused below, must not change the JVM of the one that runs.
        Path argfile = dir.resolve("night.args");
        NightlySchedule schedule = new NightlySchedule(at,
                from != null ? from : new NightlySchedule(at, LocalDate.MIN).latestDue(clock.instant()));
        ScheduleState state = new ScheduleState(dir.resolve("last-night-done"));
        List<String> nightly = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argfile));
        nightly.addAll(nightlyArgs);
        Path summaries = home.resolve("runs").resolve("nightly");
        Scheduler scheduler = new Scheduler(schedule, state, new ProcessNightRunner(nightly, dir.resolve("logs"), summaries),
                clock, d -> Thread.sleep(Math.max(0, d.toMillis())), attempts, retryDelay, dir.resolve("runs.jsonl"),
                line -> System.out.println(clock.instant().toString().substring(0, 19) + "Z  " + line));

        Optional<ScheduleLock> lock = ScheduleLock.tryAcquire(dir.resolve("lock"));
        if (lock.isEmpty()) {
            java.nio.file.Files.deleteIfExists(Path.of(offered));
            System.err.println("vigil: another schedule is running (lock " + dir.resolve("lock") + " is held)");
            return 75;
        }
        try (ScheduleLock held = lock.get()) {
            if (!Path.of(offered).toAbsolutePath().equals(argfile.toAbsolutePath())) {
                java.nio.file.Files.move(Path.of(offered), argfile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.printf("Schedule: the night at %s UTC for each new day, from %s if none ran yet (last done: %s); "
                            + "%d attempt(s), %s apart; run log %s%n", at, schedule.firstNight(),
                    state.lastDone().map(LocalDate::toString).orElse("none"), attempts, retryDelay,
                    dir.resolve("runs.jsonl"));
            if (once) {
                return scheduler.runDue().ok() ? 0 : 1;
            }
            scheduler.runForever();
            return 0;
        }
    }

    /** {@code --retry-delay}: seconds, or a value with a unit (90s, 10m, 1h). */
    static final class DurationText implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("a duration such as 90s, 10m or 1h, not '" + value + "'");
            }
        }
    }
}
