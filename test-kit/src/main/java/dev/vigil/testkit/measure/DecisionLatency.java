package dev.vigil.testkit.measure;

import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.Decoded;
import dev.vigil.testkit.kafka.KafkaSettings;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import dev.vigil.core.event.WallClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * End-to-end latency as the SLA defines it: from the moment an authorization was due to be sent
 * (its open-loop schedule) to the moment an external consumer reads its decision. The sender
 * registers each id with its scheduled time; a consumer thread, started at the topic's end before
 * sending, records the latency of the first decision of each id. Duplicates and decisions never
 * seen (within the drain timeout) are counted.
 */
public final class DecisionLatency implements AutoCloseable {
    private final Map<String, Long> scheduled = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Histogram histogram = new Histogram(60_000_000L, 3); // microseconds, up to 60 s
    /** Decisions scheduled in the warm-up: what a job just started (its JIT cold) answers with. */
    private final Histogram warmup = new Histogram(60_000_000L, 3);
    /** Latency by second of schedule (since the first expected record), for latency over time. */
    private final Map<Long, Histogram> bySecond = new ConcurrentHashMap<>();
    private volatile long firstScheduledMicros = Long.MIN_VALUE;
    private final long warmupEndsMicros;
    private final Thread consumer;
    private volatile boolean running = true;
    private volatile long duplicates;
    /** First decisions made on a card state that held no earlier authorization (see {@link #cold()}). */
    private volatile long cold;
    /** First decisions of expected ids by action (APPROVE, REVIEW, DECLINE). */
    private final Map<String, Long> actions = new java.util.concurrent.ConcurrentSkipListMap<>();

    public DecisionLatency(String bootstrap, String topic, long warmupEndsMicros) {
        this.warmupEndsMicros = warmupEndsMicros;
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "latency-" + System.nanoTime()));
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // resolve the end now, before anything is sent
        consumer = new Thread(() -> {
            try (c) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                        long now = nowMicros();
                        Decoded<Decision> d = DecisionCodec.INSTANCE.decode(r.value());
                        if (!d.isOk()) {
                            continue;
                        }
                        String id = d.value().authorizationId();
                        Long due = scheduled.get(id);
                        if (due == null) {
                            continue;
                        }
                        if (!seen.add(id)) {
                            duplicates++;
                            continue;
                        }
                        actions.merge(d.value().action().name(), 1L, Long::sum);
                        if (d.value().cardAuthCount() <= 1) {
                            cold++;
                        }
                        long micros = Math.min(histogram.getHighestTrackableValue(), Math.max(0, now - due));
                        (due >= this.warmupEndsMicros ? histogram : warmup).recordValue(micros);
                        bySecond.computeIfAbsent((due - firstScheduledMicros) / 1_000_000L,
                                s -> new Histogram(60_000_000L, 2)).recordValue(micros);
                    }
                }
            }
        }, "decision-latency");
        consumer.setDaemon(true);
        consumer.start();
    }

    public void expect(String authorizationId, long scheduledMicros) {
        if (firstScheduledMicros == Long.MIN_VALUE) {
            firstScheduledMicros = scheduledMicros;
        }
        scheduled.put(authorizationId, scheduledMicros);
    }

    /** Latencies (µs) of decisions scheduled after the warm-up; read after {@link #close()}. */
    public Histogram histogram() {
        return histogram;
    }

    /** Per second of the schedule (0 = the first record's second): every decision's latency, warm-up included. */
    public java.util.SortedMap<Long, Histogram> bySecond() {
        return new java.util.TreeMap<>(bySecond);
    }

    /**
     * Decisions whose card state held no authorization before this one ({@code card_auth_count} 1):
     * decided without the card's history. A job that starts with the cards' history (bootstrapped or
     * warmed) makes these only for cards that are new; a job started empty makes one per card.
     */
    public long cold() {
        return cold;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Distinct expected authorizations decided so far (safe to read while running). */
    public long decided() {
        return seen.size();
    }

    public long expected() {
        return scheduled.size();
    }

    /** Waits until every expected decision was seen or the timeout passed. */
    public void drain(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (seen.size() < scheduled.size() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    /** The figures; call after {@link #close()}, which stops the consumer thread that records them. */
    public String report() {
        return String.format("decisions %,d of %,d (missing %,d, duplicates %,d; %s; without card history %,d, %.1f %%);"
                        + " latency after warm-up over %,d: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms;"
                        + " in the warm-up over %,d: p50 %.1f ms, p99 %.1f ms",
                seen.size(), scheduled.size(), scheduled.size() - seen.size(), duplicates, actionMix(), cold,
                seen.isEmpty() ? 0.0 : 100.0 * cold / seen.size(), histogram.getTotalCount(),
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0, warmup.getTotalCount(), warmup.getValueAtPercentile(50) / 1000.0,
                warmup.getValueAtPercentile(99) / 1000.0);
    }

    /** "APPROVE 21,452 (79.5%), REVIEW ..." over the decisions seen so far. */
    public String actionMix() {
        long total = actions.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        actions.forEach((action, n) -> out.append(out.isEmpty() ? "" : ", ")
                .append(String.format("%s %,d (%.1f%%)", action, n, 100.0 * n / total)));
        return out.isEmpty() ? "no actions" : out.toString();
    }

    public long missing() {
        return scheduled.size() - seen.size();
    }

    public static long nowMicros() {
        return WallClock.micros();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.join(5_000);
    }
}
