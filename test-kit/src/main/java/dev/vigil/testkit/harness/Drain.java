package dev.vigil.testkit.harness;

import dev.vigil.core.event.Decision;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.measure.JitActivity;
import dev.vigil.testkit.measure.FlameGraph;
import dev.vigil.testkit.measure.ProcessCpu;
import dev.vigil.testkit.stream.OpenLoopSender;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The drain scenario: what the engine costs per decision with nothing else running but the broker.
 * A backlog of authorizations is put on the topic first ({@link #fill}); the engine is then started
 * at the backlog's first record and decides it as fast as it can, while {@link #measure} reads the
 * decisions and samples each process's CPU. No latency here: the figures are throughput and CPU
 * per decision, the costs that latency at a given rate is made of.
 */
public final class Drain {
    /** Decisions before this share of the backlog count as start-up (JIT, caches) and are reported apart. */
    static final double STEADY_AFTER = 0.2;

    /** The backlog: its authorizations' id prefix, how many, and when the first was written (epoch ms). */
    public record Backlog(String idPrefix, long count, long writtenFromEpochMs) {
    }

    /** CPU and throughput over one stretch of the drain. */
    public record Stretch(long decisions, double seconds, Map<String, ProcessCpu.Usage> cpu) {
        public double decisionsPerSecond() {
            return seconds > 0 ? decisions / seconds : 0;
        }

        public Double engineMicrosPerDecision() {
            return ProcessCpu.microsPerDecision(cpu, Resources.ENGINE, decisions);
        }

        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("decisions", decisions);
            m.put("seconds", Result.round(seconds));
            m.put("decisions_per_s", Result.round(decisionsPerSecond()));
            Double us = engineMicrosPerDecision();
            m.put("engine_cpu_us_per_decision", us == null ? null : Result.round(us));
            m.put("cpu", ProcessCpu.fields(cpu));
            return m;
        }
    }

    /**
     * The outcome: the whole drain (first decision to last) and its steady part (after the first
     * {@link #STEADY_AFTER} of the backlog), decisions missing when it gave up, and the engine's
     * JIT over the steady part.
     */
    public record Outcome(Backlog backlog, Stretch whole, Stretch steady, long missing, long duplicates,
                          JitActivity.Reading jitBefore, JitActivity.Reading jitAfter) {
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", "drain");
            m.put("backlog", backlog.count());
            m.put("missing", missing);
            m.put("duplicates", duplicates);
            m.put("whole", whole.fields());
            m.put("steady", steady == null ? null : steady.fields());
            if (jitBefore != null && jitAfter != null) {
                m.put("jit_compiled_in_steady", jitAfter.compiled() - jitBefore.compiled());
                m.put("jit_s_in_steady", Result.round(jitAfter.seconds() - jitBefore.seconds()));
            }
            return m;
        }
    }

    private Drain() {
    }

    /** Writes {@code count} authorizations to the topic as fast as the broker takes them. */
    public static Backlog fill(String bootstrap, String topic, Iterator<OpenLoopSender.Message> source, long count,
                               String idPrefix, Consumer<String> progress) {
        AtomicLong failed = new AtomicLong();
        long from = System.currentTimeMillis();
        long sent = 0;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap))) {
            while (sent < count && source.hasNext()) {
                OpenLoopSender.Message m = source.next();
                producer.send(new ProducerRecord<>(topic, m.key(), m.value()), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
                if (++sent % 100_000 == 0) {
                    progress.accept(String.format("  %,d of %,d on the topic", sent, count));
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " authorizations of the backlog were not written");
        }
        return new Backlog(idPrefix, sent, from);
    }

    /**
     * Reads the decisions of the backlog from the decision topic (from the time the backlog was
     * written) until every one has come or none came for {@code quiet}.
     */
    public static Outcome measure(String bootstrap, String decisionsTopic, Backlog backlog, LatencyHarness.Watched watched,
                                  Duration quiet, Consumer<String> progress) {
        Set<String> seen = new HashSet<>((int) Math.min(Integer.MAX_VALUE, backlog.count() * 2));
        long duplicates = 0;
        long steadyMark = (long) Math.ceil(backlog.count() * STEADY_AFTER);
        Map<String, java.time.Duration> cpuFirst = null;
        Map<String, java.time.Duration> cpuSteady = null;
        long tFirst = 0;
        long tSteady = 0;
        JitActivity.Reading jitBefore = null;
        long lastProgress = System.nanoTime();
        long nextReport = System.nanoTime() + 5_000_000_000L;
        // The window ends at the last decision that arrived (sampled at most every 100 ms while decisions
        // come), not after the quiet wait: an idle engine is not charged for the harness's patience.
        Map<String, java.time.Duration> cpuEnd = null;
        long tEnd = 0;
        long consumerStartMs = System.currentTimeMillis();
        // The flame graph covers the steady stretch; attaching starts a jcmd JVM, so it runs on a thread
        // of its own and the reader keeps reading.
        CompletableFuture<FlameGraph> profiler = null;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "drain-" + System.nanoTime()))) {
            List<TopicPartition> parts = c.partitionsFor(decisionsTopic).stream()
                    .map(p -> new TopicPartition(decisionsTopic, p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> at = new HashMap<>();
            parts.forEach(p -> at.put(p, backlog.writtenFromEpochMs()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(at);
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = offsets.get(p);
                if (o == null) {
                    c.seekToEnd(List.of(p));
                } else {
                    c.seek(p, o.offset());
                }
            }
            while (seen.size() < backlog.count() && System.nanoTime() - lastProgress < quiet.toNanos()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    Decoded<Decision> d = DecisionCodec.INSTANCE.decode(r.value());
                    if (!d.isOk() || !d.value().authorizationId().startsWith(backlog.idPrefix())) {
                        continue;
                    }
                    if (!seen.add(d.value().authorizationId())) {
                        duplicates++;
                        continue;
                    }
                    lastProgress = System.nanoTime();
                    if (seen.size() == 1) {
                        tFirst = lastProgress;
                        cpuFirst = watched.cpu().sample();
                        progress.accept("  the first decision arrived; the engine is draining the backlog");
                        if (r.timestamp() < consumerStartMs) {
                            // Decided before this reader started: its CPU would be missing from the figures.
                            throw new IllegalStateException("the engine was deciding the backlog before the"
                                    + " measurement started; start the measurement before the engine");
                        }
                    }
                    if (seen.size() == steadyMark) {
                        tSteady = lastProgress;
                        cpuSteady = watched.cpu().sample();
                        if (watched.engineJvm() > 0) {
                            // One jstat (a small JVM, ~0.3 s of CPU) runs here, inside the steady stretch, and
                            // slows it slightly; it reads the compilations the steady stretch still had.
                            jitBefore = JitActivity.read(watched.engineJvm()).orElse(null);
                            if (watched.flameGraph() != null) {
                                profiler = CompletableFuture.supplyAsync(() -> startProfiler(watched, progress));
                            }
                        }
                    }
                }
                if (cpuFirst != null && (seen.size() == backlog.count() || lastProgress - tEnd > 100_000_000L)) {
                    tEnd = lastProgress;
                    cpuEnd = watched.cpu().sample();
                }
                if (System.nanoTime() >= nextReport) {
                    progress.accept(String.format("  %,d of %,d decided", seen.size(), backlog.count()));
                    nextReport += 5_000_000_000L;
                }
            }
        } finally {
            // Also when reading failed: an agent left sampling would run in the engine until it stops.
            stopProfiler(profiler, progress);
        }
        JitActivity.Reading jitAfter = jitBefore == null ? null : JitActivity.read(watched.engineJvm()).orElse(null);
        if (cpuFirst == null) {
            throw new IllegalStateException("the engine decided none of the backlog within " + quiet);
        }
        double wholeS = (tEnd - tFirst) / 1e9;
        Stretch whole = new Stretch(seen.size() - 1, wholeS, ProcessCpu.between(cpuFirst, cpuEnd, wholeS));
        Stretch steady = null;
        if (cpuSteady != null && seen.size() > steadyMark) {
            double steadyS = (tEnd - tSteady) / 1e9;
            steady = new Stretch(seen.size() - steadyMark, steadyS, ProcessCpu.between(cpuSteady, cpuEnd, steadyS));
        }
        return new Outcome(backlog, whole, steady, backlog.count() - seen.size(), duplicates, jitBefore, jitAfter);
    }

    /** The profiler attached to the engine, or null (said through {@code progress}) when it could not attach. */
    private static FlameGraph startProfiler(LatencyHarness.Watched watched, Consumer<String> progress) {
        try {
            return FlameGraph.start(watched.engineJvm(), watched.flameGraph().getParent().resolve("profiler"),
                    watched.flameGraph(), 1000);
        } catch (java.io.IOException | RuntimeException e) {
            progress.accept("  no flame graph: " + e.getMessage());
            return null;
        }
    }

    private static void stopProfiler(CompletableFuture<FlameGraph> profiler, Consumer<String> progress) {
        FlameGraph started = profiler == null ? null : profiler.join();
        if (started != null) {
            try {
                progress.accept("  flame graph of the engine after the first " + Math.round(STEADY_AFTER * 100)
                        + " %: " + started.stop());
            } catch (java.io.IOException | RuntimeException e) {
                progress.accept("  no flame graph: " + e.getMessage());
            }
        }
    }

    /** "drain of 300,000: 12,345 decisions/s, engine 81 µs CPU per decision (steady: ...)". */
    public static String summary(Outcome o) {
        StringBuilder b = new StringBuilder(String.format("drain of %,d authorizations: %,d missing, %,d duplicates; whole %s",
                o.backlog().count(), o.missing(), o.duplicates(), line(o.whole())));
        if (o.steady() != null) {
            b.append("; after the first ").append(Math.round(STEADY_AFTER * 100)).append(" %: ").append(line(o.steady()));
        }
        return b.toString();
    }

    private static String line(Stretch s) {
        StringBuilder b = new StringBuilder(String.format("%,.0f decisions/s", s.decisionsPerSecond()));
        Double us = s.engineMicrosPerDecision();
        if (us != null) {
            b.append(String.format(", engine %,.1f µs CPU per decision", us));
        }
        s.cpu().forEach((name, u) -> b.append(String.format(", %s %.2f cores", name, u.cores())));
        return b.toString();
    }
}
