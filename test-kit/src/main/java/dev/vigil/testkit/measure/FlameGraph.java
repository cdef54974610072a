package dev.vigil.testkit.measure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CPU flame graph of the engine over the measured window, by async-profiler (its Maven
 * artifact carries the native agent). The harness loads the agent into the engine's JVM with the
 * JDK's {@code jcmd JVMTI.agent_load} when the window starts and again with {@code stop} when it
 * ends, so neither start-up nor warm-up is in the graph and the engine needs no flag.
 */
public final class FlameGraph {
    /** Where the agent sits inside the async-profiler jar for this platform. */
    static final String AGENT = "linux-x64/libasyncProfiler.so";

    private final long jvmPid;
    private final Path agent;
    private final Path out;

    private FlameGraph(long jvmPid, Path agent, Path out) {
        this.jvmPid = jvmPid;
        this.agent = agent;
        this.out = out;
    }

    /**
     * Starts sampling the JVM's CPU (every {@code intervalMicros}; wall-clock stacks of threads off
     * CPU are not in it), each stack under its thread's name. The agent is copied out of the classpath into {@code workDir}.
     */
    public static FlameGraph start(long jvmPid, Path workDir, Path out, long intervalMicros) throws IOException {
        Files.createDirectories(workDir);
        Path agent = workDir.resolve("libasyncProfiler.so");
        try (InputStream in = FlameGraph.class.getClassLoader().getResourceAsStream(AGENT)) {
            if (in == null) {
                throw new IOException("async-profiler's agent " + AGENT + " is not on the classpath (linux-x64 only)");
            }
            Files.copy(in, agent, StandardCopyOption.REPLACE_EXISTING);
        }
        FlameGraph g = new FlameGraph(jvmPid, agent, out);
        // cpu uses perf events where the kernel allows them and falls back to a CPU-time timer where not;
        // threads roots each stack at its thread, so CPU can be charged to a fetcher, a flusher, a task.
        g.agentCommand("start,event=cpu,threads,interval=" + intervalMicros * 1000);
        return g;
    }

    /**
     * Stops sampling and writes the HTML flame graph, and beside it the same samples as collapsed
     * stacks ({@code .collapsed}: one line per stack and its count) to read or diff as text.
     */
    public Path stop() throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        String name = out.getFileName().toString().replaceFirst("\\.html$", "");
        agentCommand("dump,file=" + out.toAbsolutePath().resolveSibling(name + ".collapsed"));
        agentCommand("stop,file=" + out.toAbsolutePath());
        if (!Files.isRegularFile(out)) {
            throw new IOException("async-profiler wrote no flame graph to " + out);
        }
        return out;
    }

    private void agentCommand(String options) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // jcmd reads key=value pairs itself: the agent's options go quoted, as one value. jcmd exits 0
        // even when the agent refuses; the agent's own "return code" says.
        // The output goes to a file so that a hung jcmd cannot outlast the timeout.
        Path log = Files.createTempFile("vigil-jcmd", ".txt");
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(jvmPid), "JVMTI.agent_load",
                    "\"" + agent.toAbsolutePath() + "\"", "\"" + options + "\""))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String said = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (!done || p.exitValue() != 0 || !said.contains("return code: 0")) {
                p.destroyForcibly();
                throw new IOException("async-profiler " + options + " in pid " + jvmPid + " failed: " + said);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
