package dev.vigil.testkit.harness;

import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.measure.DecisionLatency;
import dev.vigil.testkit.stream.OpenLoopSender;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import dev.vigil.testkit.measure.FlameGraph;
import dev.vigil.testkit.measure.JitActivity;
import dev.vigil.testkit.measure.ProcessCpu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The latency SLA harness, engine-agnostic: it speaks only Kafka. Authorizations go to the input
 * topic open loop at the scenario's rates; a consumer of the decision topic times each decision
 * from its authorization's scheduled send time (so a stall cannot hide: coordinated omission is
 * avoided by construction, not corrected afterwards). Clocks are one machine's.
 */
public final class LatencyHarness {

    /**
     * @param warmupFromRate the rate the warm-up starts at: it rises in {@value #WARMUP_STEPS} even
     *                       steps to the first phase's rate. A job just started runs interpreted code
     *                       for its first tens of seconds; offered the full rate at once it builds a
     *                       backlog that the measured window would then report as latency.
     */
    public record Settings(String engine, String bootstrap, String authorizationsTopic, String decisionsTopic,
                           double rate, Duration duration, Duration warmup, LoadScenario scenario, double slaP99Ms,
                           Duration drain, double warmupFromRate) {
        /** The warm-up rises from a fifth of the rate. */
        public Settings(String engine, String bootstrap, String authorizationsTopic, String decisionsTopic,
                        double rate, Duration duration, Duration warmup, LoadScenario scenario, double slaP99Ms,
                        Duration drain) {
            this(engine, bootstrap, authorizationsTopic, decisionsTopic, rate, duration, warmup, scenario, slaP99Ms, drain,
                    rate / WARMUP_STEPS);
        }
    }

    /** How many even steps the warm-up rises in. */
    static final int WARMUP_STEPS = 5;

    /**
     * The processes whose CPU a run reports (by name: {@value Resources#ENGINE}, "broker", "harness"),
     * the engine's JVM, whose JIT it reads, and where to write the engine's CPU flame graph over the
     * measured window (null: no profiling); {@link #NONE} watches nothing.
     */
    public record Watched(ProcessCpu cpu, long engineJvm, java.nio.file.Path flameGraph) {
        public static final Watched NONE = new Watched(new ProcessCpu(Map.of()), 0, null);

        public Watched(ProcessCpu cpu, long engineJvm) {
            this(cpu, engineJvm, null);
        }
    }

    /** Authorizations encoded before a phase's clock starts, at most (about 0.7 GB); the rest are made as sent. */
    static final int PRE_ENCODED_MAX = 1_000_000;

    private LatencyHarness() {
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

    public static Result run(Settings s, Iterator<OpenLoopSender.Message> source, Consumer<String> progress)
            throws InterruptedException {
        return run(s, source, progress, Watched.NONE);
    }

    /**
     * One run of the scenario's phases; the warm-up is the start of the first phase. The watched
     * processes' CPU is sampled when the warm-up ends and when the last decision arrived (or the
     * drain gave up); the engine's JIT is read 1.5 s before the window (a reading starts a JVM) and
     * after it.
     */
    public static Result run(Settings s, Iterator<OpenLoopSender.Message> source, Consumer<String> progress,
                             Watched watched) throws InterruptedException {
        List<LoadScenario.Phase> phases = risingWarmup(s.scenario().phases(s.rate(), s.duration()), s.warmup(),
                s.warmupFromRate());
        int warmupSteps = (int) phases.stream().filter(p -> p.name().startsWith(WARMUP_PHASE)).count();
        List<Iterator<OpenLoopSender.Message>> encoded = new ArrayList<>();
        for (LoadScenario.Phase phase : phases) {
            // Encoding (the world's simulation and JSON) happens before the clock starts, so the
            // harness spends its measured time only on sending and timing.
            long n = Math.min(PRE_ENCODED_MAX, (long) Math.ceil(phase.rate() * phase.duration().toNanos() / 1e9) + 1);
            progress.accept(String.format("  encoding %,d authorizations for phase %s ...", n, phase.name()));
            encoded.add(preEncoded(source, (int) n));
        }
        long warmupNanos = s.warmup().toNanos();
        DecisionLatency latency = new DecisionLatency(s.bootstrap(), s.decisionsTopic(),
                DecisionLatency.nowMicros() + 20_000 + warmupNanos / 1000);
        // Every task is timed from one instant; jstat and the profiler's jcmd start JVMs, so they run
        // on a thread of their own and never delay a CPU sample.
        long t0 = System.nanoTime() + 20_000_000;
        ScheduledExecutorService sampler = daemonScheduler("cpu-sampler");
        ScheduledExecutorService attacher = daemonScheduler("jvm-attach");
        AtomicReference<Sample> atStart = new AtomicReference<>();
        AtomicReference<Sample> atMiddle = new AtomicReference<>();
        AtomicReference<JitActivity.Reading> jitBefore = new AtomicReference<>();
        AtomicReference<FlameGraph> profiler = new AtomicReference<>();
        boolean readJit = watched.engineJvm() > 0;
        if (readJit) {
            attacher.schedule(() -> jitBefore.set(JitActivity.read(watched.engineJvm()).orElse(null)),
                    Math.max(0, t0 + warmupNanos - 1_500_000_000L - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        sampler.schedule(() -> atStart.set(Sample.take(watched, latency)), t0 + warmupNanos - System.nanoTime(),
                TimeUnit.NANOSECONDS);
        sampler.schedule(() -> atMiddle.set(Sample.take(watched, latency)),
                t0 + warmupNanos + (s.duration().toNanos() - warmupNanos) / 2 - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (watched.flameGraph() != null && watched.engineJvm() > 0) {
            attacher.schedule(() -> {
                // Attaching starts a jcmd JVM inside the window: a profiled run's figures are worse.
                try {
                    profiler.set(FlameGraph.start(watched.engineJvm(), watched.flameGraph().getParent().resolve("profiler"),
                            watched.flameGraph(), 1000));
                } catch (java.io.IOException e) {
                    progress.accept("  no flame graph: " + e.getMessage());
                }
            }, t0 + warmupNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        long sent = 0;
        long late = 0;
        double maxLag = 0;
        double seconds = 0;
        double offered = 0;
        java.util.Properties sending = KafkaSettings.producer(s.bootstrap());
        // vigil.loadtest.linger.ms: what the sender's batching costs or saves (a comparison; latency still
        // runs from each record's schedule, so waiting in the producer counts against the engine).
        sending.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG,
                Integer.getInteger("vigil.loadtest.linger.ms", 0));
        try (Producer<String, byte[]> producer = new KafkaProducer<>(sending)) {
            for (int i = 0; i < phases.size(); i++) {
                LoadScenario.Phase phase = phases.get(i);
                progress.accept(String.format("  phase %s: %,.0f/s for %s", phase.name(), phase.rate(), phase.duration()));
                OpenLoopSender.Report r = OpenLoopSender.run(producer, s.authorizationsTopic(), encoded.get(i), phase.rate(),
                        phase.duration(), Long.MAX_VALUE, progress, (m, at) -> latency.expect(m.id(), at));
                late += r.lateSends();
                maxLag = Math.max(maxLag, r.maxLagMs());
                if (i >= warmupSteps) {
                    // Offered and achieved rates are the measured phases': the warm-up's lower rates are not the test.
                    sent += r.sent();
                    seconds += r.seconds();
                    offered += phase.rate() * phase.duration().toNanos() / 1e9;
                }
            }
        }
        progress.accept(String.format("  sent %,d; waiting up to %s for the last decisions ...", sent, s.drain()));
        // The window ends with the last decision that arrived, not when the drain gave up: an engine
        // idling while the harness waits must not be charged for the wait.
        Sample atEnd = Sample.take(watched, latency);
        long drainEnd = System.nanoTime() + s.drain().toNanos();
        while (latency.decided() < latency.expected() && System.nanoTime() < drainEnd) {
            Thread.sleep(50);
            if (latency.decided() > atEnd.decided()) {
                atEnd = Sample.take(watched, latency);
            }
        }
        latency.close();
        sampler.shutdown();
        attacher.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        attacher.awaitTermination(60, TimeUnit.SECONDS);
        if (profiler.get() != null) {
            try {
                progress.accept("  flame graph of the engine over the measured window: " + profiler.get().stop());
            } catch (java.io.IOException e) {
                progress.accept("  no flame graph: " + e.getMessage());
            }
        }
        Resources resources = null;
        Sample start = atStart.get();
        if (start != null && !watched.cpu().names().isEmpty()) {
            double windowS = (atEnd.nanos() - start.nanos()) / 1e9;
            Double firstHalf = null;
            Double secondHalf = null;
            // Halves compare only at one rate: a spike's fixed per-second costs spread over more decisions.
            boolean oneRate = phases.stream().skip(warmupSteps).mapToDouble(LoadScenario.Phase::rate).distinct().count() == 1;
            Sample middle = atMiddle.get();
            if (middle != null && oneRate) {
                firstHalf = engineMicrosPerDecision(start, middle);
                secondHalf = engineMicrosPerDecision(middle, atEnd);
            }
            resources = new Resources(windowS, ProcessCpu.between(start.cpu(), atEnd.cpu(), windowS),
                    atEnd.decided() - start.decided(), jitBefore.get(),
                    readJit ? JitActivity.read(watched.engineJvm()).orElse(null) : null, firstHalf, secondHalf);
        }
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
        double measuredS = durationS - (warmupSteps > 0 ? s.warmup().toNanos() / 1e9 : 0);
        return new Result(s.engine(), s.scenario().name().toLowerCase(), offered / measuredS, sent / seconds, durationS,
                s.warmup().toNanos() / 1e9, warmupSteps > 0 ? s.warmupFromRate() : phases.get(0).rate(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0,
                latency.expected(), h.getTotalCount(), latency.missing(), latency.duplicates(), s.slaP99Ms(), late, maxLag,
                curve, overTime, resources);
    }

    static final String WARMUP_PHASE = "warm-up";

    /**
     * The phases with the first one's warm-up sent in {@value #WARMUP_STEPS} even steps rising from
     * {@code fromRate} to its rate; unchanged when there is no warm-up, it starts at the rate already,
     * or it would not end inside the first phase.
     */
    static List<LoadScenario.Phase> risingWarmup(List<LoadScenario.Phase> phases, Duration warmup, double fromRate) {
        LoadScenario.Phase first = phases.get(0);
        if (warmup.isZero() || fromRate >= first.rate() || warmup.compareTo(first.duration()) >= 0) {
            return phases;
        }
        List<LoadScenario.Phase> out = new ArrayList<>();
        Duration step = warmup.dividedBy(WARMUP_STEPS);
        for (int k = 1; k <= WARMUP_STEPS; k++) {
            double rate = fromRate + (first.rate() - fromRate) * k / WARMUP_STEPS;
            out.add(new LoadScenario.Phase(WARMUP_PHASE + " " + k, rate, step));
        }
        out.add(new LoadScenario.Phase(first.name(), first.rate(), first.duration().minus(step.multipliedBy(WARMUP_STEPS))));
        out.addAll(phases.subList(1, phases.size()));
        return out;
    }

    /** The watched processes' CPU and the decisions seen so far, at one instant. */
    record Sample(long nanos, long decided, Map<String, Duration> cpu) {
        static Sample take(Watched watched, DecisionLatency latency) {
            long decided = latency.decided();
            return new Sample(System.nanoTime(), decided, watched.cpu().sample());
        }
    }

    private static Double engineMicrosPerDecision(Sample from, Sample to) {
        return ProcessCpu.microsPerDecision(ProcessCpu.between(from.cpu(), to.cpu(), 0), Resources.ENGINE,
                to.decided() - from.decided());
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The next {@code n} messages of the source, encoded now, then the rest of the source as it comes. */
    static Iterator<OpenLoopSender.Message> preEncoded(Iterator<OpenLoopSender.Message> source, int n) {
        List<OpenLoopSender.Message> ahead = new ArrayList<>(n);
        while (ahead.size() < n && source.hasNext()) {
            ahead.add(source.next());
        }
        Iterator<OpenLoopSender.Message> first = ahead.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || source.hasNext();
            }

            @Override
            public OpenLoopSender.Message next() {
                return first.hasNext() ? first.next() : source.next();
            }
        };
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
                                  Consumer<String> progress, Watched watched) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        double rate = s.rate();
        while (rate <= maxRate) {
            Duration warm = s.warmup().compareTo(s.duration().dividedBy(3)) > 0 ? s.duration().dividedBy(3) : s.warmup();
            // Each step's warm-up rises from the rate the step before held.
            Settings step = new Settings(s.engine(), s.bootstrap(), s.authorizationsTopic(), s.decisionsTopic(), rate,
                    s.duration(), warm, LoadScenario.STEADY, s.slaP99Ms(), s.drain(),
                    steps.isEmpty() ? s.warmupFromRate() : steps.get(steps.size() - 1).rate());
            progress.accept(String.format("Ramp step %d: %,.0f/s", steps.size() + 1, rate));
            Result r = run(step, source, progress, watched);
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
