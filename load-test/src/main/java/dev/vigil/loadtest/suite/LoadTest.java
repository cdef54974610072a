package dev.vigil.loadtest.suite;

import dev.vigil.loadtest.kafka.KafkaSettings;
import dev.vigil.loadtest.measure.DecisionLatency;
import dev.vigil.loadtest.stream.OpenLoopSender;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The latency SLA harness, engine-agnostic: it speaks only Kafka. Authorizations go to the input
 * topic open loop at the scenario's rates; a consumer of the decision topic times each decision
 * from its authorization's scheduled send time (so a stall cannot hide: coordinated omission is
 * avoided by construction, not corrected afterwards). Clocks are one machine's.
 */
public final class LoadTest {

    public record Settings(String engine, String bootstrap, String authorizationsTopic, String decisionsTopic,
                           double rate, Duration duration, Duration warmup, LoadScenario scenario, double slaP99Ms,
                           Duration drain) {
    }

    private LoadTest() {
    }

    /** Sends probes at a low rate until the engine decides one: it is up and consuming. */
    public static Duration awaitEngine(Settings s, Iterator<OpenLoopSender.Message> source, Duration timeout,
                                       Consumer<String> progress) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(s.bootstrap()))) {
            while (System.nanoTime() < deadline) {
                DecisionLatency probe = new DecisionLatency(s.bootstrap(), s.decisionsTopic(), 0);
                OpenLoopSender.run(producer, s.authorizationsTopic(), source, 20, Duration.ofSeconds(1), 20, null,
                        (m, at) -> probe.expect(m.id(), at));
                probe.drain(Duration.ofSeconds(4));
                probe.close();
                if (probe.expected() - probe.missing() > 0) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
                progress.accept(String.format("  waiting for the %s engine to decide (%.0f s) ...", s.engine(),
                        (System.nanoTime() - t0) / 1e9));
            }
        }
        throw new IllegalStateException("the " + s.engine() + " engine decided nothing within " + timeout);
    }

    /** One run of the scenario's phases; the warm-up is the start of the first phase. */
    public static Result run(Settings s, Iterator<OpenLoopSender.Message> source, Consumer<String> progress)
            throws InterruptedException {
        List<LoadScenario.Phase> phases = s.scenario().phases(s.rate(), s.duration());
        DecisionLatency latency = new DecisionLatency(s.bootstrap(), s.decisionsTopic(),
                DecisionLatency.nowMicros() + 20_000 + s.warmup().toNanos() / 1000);
        long sent = 0;
        long late = 0;
        double maxLag = 0;
        double seconds = 0;
        double offered = 0;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(s.bootstrap()))) {
            for (LoadScenario.Phase phase : phases) {
                progress.accept(String.format("  phase %s: %,.0f/s for %s", phase.name(), phase.rate(), phase.duration()));
                OpenLoopSender.Report r = OpenLoopSender.run(producer, s.authorizationsTopic(), source, phase.rate(),
                        phase.duration(), Long.MAX_VALUE, progress, (m, at) -> latency.expect(m.id(), at));
                sent += r.sent();
                late += r.lateSends();
                maxLag = Math.max(maxLag, r.maxLagMs());
                seconds += r.seconds();
                offered += phase.rate() * phase.duration().toNanos() / 1e9;
            }
        }
        progress.accept(String.format("  sent %,d; waiting up to %s for the last decisions ...", sent, s.drain()));
        latency.drain(s.drain());
        latency.close();
        Histogram h = latency.histogram();
        double[] curve = new double[Result.CURVE.length];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = (Result.CURVE[i] >= 100 ? h.getMaxValue() : h.getValueAtPercentile(Result.CURVE[i])) / 1000.0;
        }
        List<double[]> overTime = new ArrayList<>();
        for (Map.Entry<Long, Histogram> e : latency.bySecond().entrySet()) {
            Histogram sh = e.getValue();
            overTime.add(new double[]{e.getKey(), sh.getValueAtPercentile(50) / 1000.0,
                    sh.getValueAtPercentile(99) / 1000.0, sh.getMaxValue() / 1000.0, sh.getTotalCount()});
        }
        double durationS = s.duration().toNanos() / 1e9;
        return new Result(s.engine(), s.scenario().name().toLowerCase(), offered / durationS, sent / seconds, durationS,
                s.warmup().toNanos() / 1e9, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0,
                latency.expected(), h.getTotalCount(), latency.missing(), latency.duplicates(), s.slaP99Ms(), late, maxLag,
                curve, overTime);
    }

    /** One ramp step's outcome. */
    public record Step(double rate, Result result) {
    }

    /**
     * Steps of {@code stepDuration} at rates rising by {@code factor} from the settings' rate, until a
     * step misses the SLA (p99, completeness) or the sender cannot offer the rate (achieved below 95 %:
     * the load generator itself is out of CPU). The capacity is the last rate that held.
     */
    public static List<Step> ramp(Settings s, Iterator<OpenLoopSender.Message> source, double factor, double maxRate,
                                  Consumer<String> progress) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        double rate = s.rate();
        while (rate <= maxRate) {
            Duration warm = s.warmup().compareTo(s.duration().dividedBy(3)) > 0 ? s.duration().dividedBy(3) : s.warmup();
            Settings step = new Settings(s.engine(), s.bootstrap(), s.authorizationsTopic(), s.decisionsTopic(), rate,
                    s.duration(), warm, LoadScenario.STEADY, s.slaP99Ms(), s.drain());
            progress.accept(String.format("Ramp step %d: %,.0f/s", steps.size() + 1, rate));
            Result r = run(step, source, progress);
            steps.add(new Step(rate, r));
            progress.accept(String.format("  -> p99 %.1f ms, missing %,d, achieved %,.0f/s: %s", r.p99Ms(), r.missing(),
                    r.achievedRate(), holds(r) ? "holds" : "breaks"));
            if (!holds(r)) {
                break;
            }
            rate = Math.round(rate * factor);
        }
        return steps;
    }

    public static boolean holds(Result r) {
        return r.slaPass() && r.achievedRate() >= 0.95 * r.offeredRate();
    }

    /** The highest rate of the ramp that held, or 0 when none did. */
    public static double capacity(List<Step> steps) {
        return steps.stream().filter(st -> holds(st.result())).mapToDouble(Step::rate).max().orElse(0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
