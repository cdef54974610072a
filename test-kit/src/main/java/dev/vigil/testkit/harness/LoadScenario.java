package dev.vigil.testkit.harness;

import java.time.Duration;
import java.util.List;

/** How the offered rate moves over a run. Every phase is open loop at its own fixed rate. */
public enum LoadScenario {
    /** the rate throughout */
    STEADY,
    /** the rate, three times the rate for the middle fifth, then the rate again */
    SPIKE,
    /** the rate for a long time (default 30 minutes): leaks, compaction, GC drift */
    SOAK,
    /** steps of rising rate until the SLA breaks: finds the capacity (see {@link LatencyHarness#ramp}) */
    RAMP;

    public record Phase(String name, double rate, Duration duration) {
    }

    public List<Phase> phases(double rate, Duration duration) {
        return switch (this) {
            case STEADY, SOAK, RAMP -> List.of(new Phase("steady", rate, duration));
            case SPIKE -> {
                Duration edge = duration.multipliedBy(2).dividedBy(5);
                Duration spike = duration.minus(edge.multipliedBy(2));
                yield List.of(new Phase("before", rate, edge), new Phase("spike", rate * 3, spike),
                        new Phase("after", rate, edge));
            }
        };
    }

    public static LoadScenario parse(String text) {
        try {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scenario must be steady, ramp, spike or soak");
        }
    }
}
