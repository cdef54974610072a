package dev.vigil.loadtest.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./vigil} as the system suites run it: every step a user's command, on an instance of the
 * suite's own (its folder, its ports), each step's output in a numbered log. The suites judge what
 * came out; {@code ./vigil} keeps what it always keeps (classpaths, JVM flags, starting and stopping
 * the daemons).
 */
public final class LocalVigil {
    /** The repository's root (failsafe runs in the module's folder). */
    public static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    private static final List<String> INSTANCE_SETTINGS = List.of("VIGIL_HOME", "VIGIL_KAFKA_", "VIGIL_FLINK_",
            "VIGIL_SPARK_", "VIGIL_PG_", "VIGIL_S3_", "VIGIL_API_", "VIGIL_TEST_", "VIGIL_CHAOS_");

    private final Path logs;
    private final Map<String, String> instance;
    private final AtomicInteger step = new AtomicInteger();

    /**
     * @param home     the instance's VIGIL_HOME
     * @param logs     where each step's log goes
     * @param instance the instance's settings (ports, folders), on top of VIGIL_HOME
     */
    public LocalVigil(Path home, Path logs, Map<String, String> instance) {
        this.logs = logs;
        this.instance = new LinkedHashMap<>(instance);
        this.instance.put("VIGIL_HOME", home.toString());
    }

    /** {@code ./vigil ARGS}, which must succeed within 30 minutes; returns its output. */
    public String run(String... args) throws IOException, InterruptedException {
        return run(true, args);
    }

    /** {@code ./vigil ARGS}, whatever its exit (stopping what may or may not run); returns its output. */
    public String attempt(String... args) throws IOException, InterruptedException {
        return run(false, args);
    }

    /** {@code ./vigil ARGS} in the background, its output into the log returned by {@link Started#log()}. */
    public Started start(String... args) throws IOException {
        Path log = nextLog(args);
        return new Started(builder(args).redirectOutput(log.toFile()).start(), log);
    }

    /** {@code ./vigil ARGS}, which must succeed; its standard output only, kept in no log (it may hold a secret). */
    public String capture(String... args) throws IOException, InterruptedException {
        Process p = builder(args).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("./vigil " + String.join(" ", args) + " failed");
        }
        return out;
    }

    /** A command running in the background. */
    public record Started(Process process, Path log) {
        /**
         * Stops the command, then whatever it started that is still running (kill -9 when
         * {@code forcibly}), and waits for it. The command first: a JVM that {@code ./vigil} exec'd
         * still logs its shutdown through the {@code tee} it started.
         */
        public void stop(boolean forcibly) throws InterruptedException {
            List<ProcessHandle> started = process.descendants().toList();
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            for (ProcessHandle p : started) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private String run(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        Path log = nextLog(args);
        Process p = builder(args).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            new Started(p, log).stop(false);
            throw new AssertionError("./vigil " + String.join(" ", args) + " did not finish in 30 minutes; log " + log);
        }
        String out = Files.readString(log);
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError("./vigil " + String.join(" ", args) + " exited " + p.exitValue() + "; log " + log
                    + ":\n" + out.substring(Math.max(0, out.length() - 3_000)));
        }
        return out;
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("vigil").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // Every setting that names a service, its place or its secrets comes from the instance: an
        // inherited one (the test run's broker or database, a developer's VIGIL_FLINK_DIR) would point
        // a step at someone else's daemons. The rest (the mode, the tokenization and model-signing
        // keys, heap sizes) passes through, as it would to a user's command.
        env.keySet().removeIf(k -> INSTANCE_SETTINGS.stream().anyMatch(k::startsWith));
        env.putAll(instance);
        return pb;
    }

    private Path nextLog(String... args) throws IOException {
        Files.createDirectories(logs);
        // The command and its subcommand, if it has one: "03-flink-submit.log", "16-generate.log".
        String name = (args.length > 1 && !args[1].startsWith("-") && !args[1].contains("/") ? args[0] + "-" + args[1] : args[0])
                .replaceAll("[^A-Za-z0-9-]", "");
        return logs.resolve(String.format("%02d-%s.log", step.incrementAndGet(), name));
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
