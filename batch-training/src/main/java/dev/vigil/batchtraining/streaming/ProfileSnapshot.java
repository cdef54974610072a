package dev.vigil.batchtraining.streaming;

import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.event.Profile;
import dev.vigil.core.feature.ProfileRule;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.JsonCodec;
import dev.vigil.core.json.MerchantProfileCodec;
import dev.vigil.core.topic.KafkaClientSecurity;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nightly card and merchant profiles a Spark scorer joins: both compacted topics read to their
 * end when the query starts, the newest {@link #KEPT} versions per key (as the Flink job keeps), then
 * broadcast to the executors, which choose per authorization with core's {@link ProfileRule}, as the
 * job does. A snapshot, not a stream: profiles change once a night, and a night's new versions reach
 * a scorer started after it. Versions stay JSON until a task first needs them (decoded once per JVM).
 */
final class ProfileSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Three nights, as the job keeps: under the two-day lag the newest is too new for today's authorizations. */
    static final int KEPT = 3;

    private final Map<String, List<byte[]>> cards;
    private final Map<String, List<byte[]>> merchants;
    private transient Map<String, List<CardProfile>> decodedCards = new ConcurrentHashMap<>();
    private transient Map<String, List<MerchantProfile>> decodedMerchants = new ConcurrentHashMap<>();

    private ProfileSnapshot(Map<String, List<byte[]>> cards, Map<String, List<byte[]>> merchants) {
        this.cards = cards;
        this.merchants = merchants;
    }

    /** The decoded versions start empty on each executor that receives the snapshot; tasks share them. */
    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        decodedCards = new ConcurrentHashMap<>();
        decodedMerchants = new ConcurrentHashMap<>();
    }

    /** Both topics read to their end; a record that does not decode is skipped (the job refuses it too). */
    static ProfileSnapshot read(String bootstrap, String cardTopic, String merchantTopic) {
        return new ProfileSnapshot(newest(bootstrap, cardTopic, CardProfileCodec.INSTANCE),
                newest(bootstrap, merchantTopic, MerchantProfileCodec.INSTANCE));
    }

    int cards() {
        return cards.size();
    }

    int merchants() {
        return merchants.size();
    }

    /** The card's version core's rule allows at {@code eventTimeMs}, or null. */
    CardProfile card(String token, long eventTimeMs) {
        return choose(cards, decodedCards, token, eventTimeMs, CardProfileCodec.INSTANCE);
    }

    /** The merchant's version core's rule allows at {@code eventTimeMs}, or null. */
    MerchantProfile merchant(String merchantId, long eventTimeMs) {
        return choose(merchants, decodedMerchants, merchantId, eventTimeMs, MerchantProfileCodec.INSTANCE);
    }

    private static <P extends Profile> P choose(Map<String, List<byte[]>> json, Map<String, List<P>> decoded, String key,
                                                long eventTimeMs, JsonCodec<P> codec) {
        List<P> versions = decoded.get(key);  // decoded once; no lambda allocated per authorization after that
        if (versions == null) {
            List<byte[]> raw = json.get(key);
            if (raw == null) {
                return null;
            }
            versions = decoded.computeIfAbsent(key, k -> decodeAll(raw, codec));
        }
        return ProfileRule.choose(versions, eventTimeMs, ProfileRule.DEFAULT_LAG_DAYS);
    }

    private static <P> List<P> decodeAll(List<byte[]> json, JsonCodec<P> codec) {
        List<P> out = new ArrayList<>(json.size());
        json.forEach(j -> out.add(codec.decode(j).value()));
        return out;
    }

    /** Per key, the newest {@link #KEPT} versions (one per as_of, the later record winning) as JSON. */
    private static <P extends Profile> Map<String, List<byte[]>> newest(String bootstrap, String topic, JsonCodec<P> codec) {
        Map<String, TreeMap<Long, byte[]>> versions = new HashMap<>();
        Map<String, Object> config = new HashMap<>(KafkaClientSecurity.fromEnvironment());
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 2 minutes");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    Decoded<P> d = codec.decode(r.value());
                    if (d.isOk()) {
                        // Keyed by the profile's own card or merchant, as the job keys them, not the record key.
                        TreeMap<Long, byte[]> kept = versions.computeIfAbsent(d.value().key(), k -> new TreeMap<>());
                        kept.put(d.value().asOf().toEpochDay(), r.value());
                        while (kept.size() > KEPT) {
                            kept.pollFirstEntry();
                        }
                    }
                }
            }
        }
        Map<String, List<byte[]>> out = new HashMap<>(versions.size() * 2);
        versions.forEach((k, v) -> out.put(k, new ArrayList<>(v.values())));
        return out;
    }
}
