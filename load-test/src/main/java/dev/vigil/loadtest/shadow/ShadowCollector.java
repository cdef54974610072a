package dev.vigil.loadtest.shadow;

import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.testkit.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the shadow run's four topics from before its first authorization was sent: each engine's
 * decisions and feature-log lines, the first per authorization kept (decisions are at-least-once; a repeat is counted, not
 * compared). It stops when both engines have decided and logged every authorization sent, or when
 * the wait ends: what is missing then is the report's finding.
 */
final class ShadowCollector implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final ShadowTopics topics;
    private final Set<String> expected;
    private final Map<String, Decision> flinkDecisions = new HashMap<>(), sparkDecisions = new HashMap<>();
    private final Map<String, FeatureLog.Line> flinkFeatures = new HashMap<>(), sparkFeatures = new HashMap<>();
    private long flinkDuplicates, sparkDuplicates, unreadable;
    private String firstUnreadable;

    /**
     * Made before the first authorization is sent: it reads from the topics' ends as they are now,
     * which needs no clock. (A first version looked the run's start up by record timestamp, after the
     * sends, and found none of a run's decisions; why was not found.)
     */
    ShadowCollector(String bootstrap, ShadowTopics topics, String group, Set<String> expected) {
        this.topics = topics;
        this.expected = expected;
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, group));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics.compared()) {
            consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);  // resolve the ends now, not at the first poll after the sends
    }

    /** Polls until both engines decided and logged every expected authorization, or {@code wait} ends. */
    void collect(Duration wait, Consumer<String> progress) {
        long deadline = System.nanoTime() + wait.toNanos();
        long nextReport = System.nanoTime() + 5_000_000_000L;
        while (!complete() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                take(r);
            }
            if (System.nanoTime() >= nextReport) {
                progress.accept(String.format("  decided: flink %,d, spark %,d of %,d; features: flink %,d, spark %,d",
                        covered(flinkDecisions), covered(sparkDecisions), expected.size(), covered(flinkFeatures),
                        covered(sparkFeatures)));
                nextReport += 5_000_000_000L;
            }
        }
    }

    ShadowParity.Side flink() {
        return new ShadowParity.Side(flinkDecisions, flinkFeatures, flinkDuplicates);
    }

    ShadowParity.Side spark() {
        return new ShadowParity.Side(sparkDecisions, sparkFeatures, sparkDuplicates);
    }

    /** Records on the shadow topics that did not decode (none are expected; the first reason is kept). */
    long unreadable() {
        return unreadable;
    }

    String firstUnreadable() {
        return firstUnreadable;
    }

    private void take(ConsumerRecord<String, byte[]> r) {
        String t = r.topic();
        try {
            if (t.equals(topics.flinkDecisions()) || t.equals(topics.sparkDecisions())) {
                Decoded<Decision> d = DecisionCodec.INSTANCE.decode(r.value());
                if (!d.isOk()) {
                    unreadable(t + ": " + d.reason());
                    return;
                }
                boolean flink = t.equals(topics.flinkDecisions());
                if ((flink ? flinkDecisions : sparkDecisions).putIfAbsent(d.value().authorizationId(), d.value()) != null) {
                    if (flink) {
                        flinkDuplicates++;
                    } else {
                        sparkDuplicates++;
                    }
                }
            } else {
                FeatureLog.Line line = FeatureLog.parse(new String(r.value(), StandardCharsets.US_ASCII));
                (t.equals(topics.flinkFeatures()) ? flinkFeatures : sparkFeatures).putIfAbsent(line.authorizationId(), line);
            }
        } catch (RuntimeException e) {
            unreadable(t + ": " + e.getMessage());
        }
    }

    private void unreadable(String reason) {
        if (unreadable++ == 0) {
            firstUnreadable = reason;
        }
    }

    private boolean complete() {
        return List.of(flinkDecisions, sparkDecisions, flinkFeatures, sparkFeatures).stream()
                .allMatch(m -> m.size() >= expected.size() && covered(m) == expected.size());
    }

    /** How many of the expected authorizations {@code m} holds. */
    private long covered(Map<String, ?> m) {
        return expected.stream().filter(m::containsKey).count();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
