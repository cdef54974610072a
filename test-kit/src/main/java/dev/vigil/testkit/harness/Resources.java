package dev.vigil.testkit.harness;

import dev.vigil.testkit.measure.JitActivity;
import dev.vigil.testkit.measure.ProcessCpu;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine spent over a run's measured window (warm-up end to the last decision that
 * arrived): each
 * process's CPU, the engine's CPU per decision, and whether the engine's JIT was still compiling.
 *
 * @param decisions decisions that arrived in the window (the same instants as the CPU samples)
 * @param jitBefore the engine's JIT counters read just before the window (null when unreadable)
 * @param jitAfter  the same just after it
 */
public record Resources(double windowS, Map<String, ProcessCpu.Usage> cpu, long decisions,
                        JitActivity.Reading jitBefore, JitActivity.Reading jitAfter, Double firstHalfMicros,
                        Double secondHalfMicros) {

    /** The second half of the window may be at most this much cheaper per decision for the JIT to count as settled. */
    public static final double SETTLED_GAIN = 0.10;

    public static final String ENGINE = "engine";

    /** The engine's CPU µs per decision in the window, or null when unknown. */
    public Double engineMicrosPerDecision() {
        return ProcessCpu.microsPerDecision(cpu, ENGINE, decisions);
    }

    /** Seconds the engine's JIT compilers spent in the window, or null when unreadable. */
    public Double jitSeconds() {
        return jitBefore == null || jitAfter == null ? null : jitAfter.seconds() - jitBefore.seconds();
    }

    /**
     * Settled when the engine's CPU per decision in the window's second half is no more than
     * {@link #SETTLED_GAIN} below the first half's: a JIT still compiling the hot path makes the
     * second half cheaper. (jstat's compile time is wall time of compiler threads that share the
     * cores with everything else, so it is reported, not judged.) Null when unknown.
     */
    public Boolean jitSettled() {
        return firstHalfMicros == null || secondHalfMicros == null ? null
                : secondHalfMicros >= (1 - SETTLED_GAIN) * firstHalfMicros;
    }

    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_s", Result.round(windowS));
        m.put("cpu", ProcessCpu.fields(cpu));
        Double perDecision = engineMicrosPerDecision();
        m.put("engine_cpu_us_per_decision", perDecision == null ? null : Result.round(perDecision));
        m.put("jit_compiled_in_window", jitBefore == null || jitAfter == null ? null : jitAfter.compiled() - jitBefore.compiled());
        Double jit = jitSeconds();
        m.put("jit_s_in_window", jit == null ? null : Result.round(jit));
        m.put("engine_cpu_us_per_decision_halves", firstHalfMicros == null || secondHalfMicros == null ? null
                : java.util.List.of(Result.round(firstHalfMicros), Result.round(secondHalfMicros)));
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
