package dev.vigil.loadtest.suite;

import dev.vigil.loadtest.measure.JitActivity;
import dev.vigil.loadtest.measure.ProcessCpu;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine spent over a run's measured window (warm-up end to the last decision): each
 * process's CPU, the engine's CPU per decision, and whether the engine's JIT was still compiling.
 *
 * @param decisions decisions of authorizations sent in the window (the latency histogram's count)
 * @param jitBefore the engine's JIT counters read just before the window (null when unreadable)
 * @param jitAfter  the same just after it
 */
public record Resources(double windowS, Map<String, ProcessCpu.Usage> cpu, long decisions,
                        JitActivity.Reading jitBefore, JitActivity.Reading jitAfter) {

    public static final String ENGINE = "engine";

    /** The engine's CPU µs per decision in the window, or null when unknown. */
    public Double engineMicrosPerDecision() {
        ProcessCpu.Usage engine = cpu.get(ENGINE);
        return engine == null || decisions == 0 ? null : engine.cpuSeconds() * 1e6 / decisions;
    }

    /** Seconds the engine's JIT compilers spent in the window, or null when unreadable. */
    public Double jitSeconds() {
        return jitBefore == null || jitAfter == null ? null : jitAfter.seconds() - jitBefore.seconds();
    }

    /**
     * Settled when compiling took at most {@link JitActivity#SETTLED_SHARE} of the engine's CPU in
     * the window: later latencies would not be much better. Null when unknown.
     */
    public Boolean jitSettled() {
        Double jit = jitSeconds();
        ProcessCpu.Usage engine = cpu.get(ENGINE);
        return jit == null || engine == null ? null : jit <= JitActivity.SETTLED_SHARE * engine.cpuSeconds();
    }

    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_s", Result.round(windowS));
        Map<String, Object> processes = new LinkedHashMap<>();
        cpu.forEach((name, u) -> processes.put(name, Map.of("cpu_s", Result.round(u.cpuSeconds()),
                "cores", Math.round(u.cores() * 1000) / 1000.0)));
        m.put("cpu", processes);
        Double perDecision = engineMicrosPerDecision();
        m.put("engine_cpu_us_per_decision", perDecision == null ? null : Result.round(perDecision));
        m.put("jit_compiled_in_window", jitBefore == null || jitAfter == null ? null : jitAfter.compiled() - jitBefore.compiled());
        Double jit = jitSeconds();
        m.put("jit_s_in_window", jit == null ? null : Result.round(jit));
        m.put("jit_settled", jitSettled());
        return m;
    }

    /** Of several runs, the one with the median engine CPU per decision (runs without a figure last). */
    public static Resources median(List<Resources> runs) {
        List<Resources> sorted = runs.stream().sorted(Comparator.comparing(
                (Resources r) -> r.engineMicrosPerDecision() == null ? Double.MAX_VALUE : r.engineMicrosPerDecision())).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
