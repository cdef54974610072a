package dev.vigil.testkit.harness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One measured run: the figures of report.json. Latency is from each authorization's scheduled
 * send time to its decision being consumed, after the warm-up.
 *
 * @param warmupFromRate the rate the warm-up started at (it rose to the first phase's rate)
 * @param measured    decisions timed after the warm-up (0 when none arrived in time: the latency
 *                    figures are then unknown, reported as null, and the SLA fails)
 * @param percentiles latency (ms) at the percentiles of {@link #CURVE}, for the percentile plot
 * @param overTime    per second of the run: {second, p50 ms, p99 ms, max ms, decisions}
 * @param resources   CPU of each process over the measured window and the engine's JIT, or null
 *                    when the run watched no process
 */
public record Result(String engine, String scenario, double offeredRate, double achievedRate, double durationS,
                     double warmupS, double warmupFromRate, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                     long expected, long measured, long missing, long duplicates, double slaP99Ms, long lateSends,
                     double maxSendLagMs, double[] percentiles, List<double[]> overTime,
                     Resources resources) {

    public static final double[] CURVE = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    public boolean complete() {
        return missing == 0 && expected > 0 && measured > 0;
    }

    public boolean slaPass() {
        return complete() && p99Ms < slaP99Ms;
    }

    /** The report.json fields (what readers of report.json may rely on) plus context. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("scenario", scenario);
        m.put("offered_rate", round(offeredRate));
        m.put("achieved_rate", round(achievedRate));
        m.put("duration_s", round(durationS));
        m.put("warmup_s", round(warmupS));
        m.put("warmup_from_rate", round(warmupFromRate));
        m.put("p50_ms", latency(p50Ms));
        m.put("p90_ms", latency(p90Ms));
        m.put("p99_ms", latency(p99Ms));
        m.put("p999_ms", latency(p999Ms));
        m.put("max_ms", latency(maxMs));
        m.put("expected", expected);
        m.put("measured", measured);
        m.put("missing", missing);
        m.put("duplicates", duplicates);
        m.put("late_sends", lateSends);
        m.put("max_send_lag_ms", round(maxSendLagMs));
        m.put("sla_p99_ms", round(slaP99Ms));
        m.put("sla_pass", slaPass());
        if (resources != null) {
            m.putAll(resources.fields());
        }
        return m;
    }

    /** The median of each figure over several runs (the first run's curves are kept for the plots). */
    public static Result median(List<Result> runs) {
        Result first = runs.get(0);
        return new Result(first.engine, first.scenario, med(runs, Result::offeredRate), med(runs, Result::achievedRate),
                med(runs, Result::durationS), first.warmupS, first.warmupFromRate, med(runs, Result::p50Ms), med(runs, Result::p90Ms),
                med(runs, Result::p99Ms), med(runs, Result::p999Ms), med(runs, Result::maxMs),
                (long) med(runs, r -> r.expected), (long) med(runs, r -> r.measured), (long) med(runs, r -> r.missing),
                (long) med(runs, r -> r.duplicates),
                first.slaP99Ms, (long) med(runs, r -> r.lateSends), med(runs, Result::maxSendLagMs), first.percentiles,
                first.overTime, first.resources == null ? null
                        : Resources.median(runs.stream().map(Result::resources).filter(java.util.Objects::nonNull).toList()));
    }

    private static double med(List<Result> runs, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** A latency figure, or null when nothing was measured after the warm-up. */
    private Object latency(double ms) {
        return measured == 0 ? null : round(ms);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
