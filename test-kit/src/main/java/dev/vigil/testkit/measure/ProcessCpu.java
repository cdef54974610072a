package dev.vigil.testkit.measure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of the processes a load test runs side by side (the engine, the broker, the harness
 * itself), read from the operating system ({@link ProcessHandle.Info#totalCpuDuration()}: user +
 * system time of every thread). A process is counted with its descendants, since a script may
 * start the engine's JVM under a shell. Samples are taken at the edges of the measured window, so
 * a slow harness or broker is never mistaken for the engine.
 */
public final class ProcessCpu {
    private final Map<String, Long> pids;

    /** @param pids the processes to watch by name; a pid of 0 or less is left out */
    public ProcessCpu(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            if (pid != null && pid > 0) {
                this.pids.put(name, pid);
            }
        });
    }

    /** The watched processes' names, in order. */
    public java.util.Set<String> names() {
        return pids.keySet();
    }

    /** CPU used so far by each watched process (a process that has gone is absent). */
    public Map<String, Duration> sample() {
        Map<String, Duration> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> treeCpu(pid).ifPresent(cpu -> out.put(name, cpu)));
        return out;
    }

    /** CPU of the process and all its live descendants, or empty when the process is gone. */
    static Optional<Duration> treeCpu(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Duration total = cpu(root.get());
        for (ProcessHandle child : (Iterable<ProcessHandle>) root.get().descendants()::iterator) {
            total = total.plus(cpu(child));
        }
        return Optional.of(total);
    }

    private static Duration cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The first JVM among the process and its descendants (a script's subshell may hold it), or the pid itself. */
    public static long jvm(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return pid;
        }
        if (isJava(root.get())) {
            return pid;
        }
        return root.get().descendants().filter(ProcessCpu::isJava).mapToLong(ProcessHandle::pid).findFirst().orElse(pid);
    }

    private static boolean isJava(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    /**
     * What each process used between two samples over {@code wallSeconds}: cores (CPU seconds per
     * second of wall time) and CPU seconds.
     */
    public static Map<String, Usage> between(Map<String, Duration> before, Map<String, Duration> after, double wallSeconds) {
        Map<String, Usage> out = new LinkedHashMap<>();
        before.forEach((name, b) -> {
            Duration a = after.get(name);
            if (a != null) {
                double seconds = a.minus(b).toNanos() / 1e9;
                out.put(name, new Usage(seconds, wallSeconds > 0 ? seconds / wallSeconds : 0));
            }
        });
        return out;
    }

    /** CPU µs that process {@code name} spent per decision, or null when it was not watched or nothing was decided. */
    public static Double microsPerDecision(Map<String, Usage> usage, String name, long decisions) {
        Usage u = usage.get(name);
        return u == null || decisions <= 0 ? null : u.cpuSeconds() * 1e6 / decisions;
    }

    /** The reports' {@code "cpu"} object: each process's CPU seconds and cores. */
    public static Map<String, Object> fields(Map<String, Usage> usage) {
        Map<String, Object> out = new LinkedHashMap<>();
        usage.forEach((name, u) -> out.put(name, Map.of("cpu_s", Math.round(u.cpuSeconds() * 100) / 100.0,
                "cores", Math.round(u.cores() * 1000) / 1000.0)));
        return out;
    }

    /** CPU over a window: seconds of CPU and the average number of cores busy. */
    public record Usage(double cpuSeconds, double cores) {
    }
}
