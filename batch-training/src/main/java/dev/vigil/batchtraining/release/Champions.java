package dev.vigil.batchtraining.release;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The champion of a model line is the last record for that line on {@code model-updates}
 * (compacted, key = line): read it from the beginning to the end offsets, and promote by sending one.
 */
public final class Champions {

    private Champions() {
    }

    public static Optional<ModelUpdate> current(String bootstrap, String line) {
        return current(bootstrap, Topic.MODEL_UPDATES.topicName(), line);
    }

    public static Optional<ModelUpdate> current(String bootstrap, String topic, String line) {
        Map<String, Object> config = new java.util.HashMap<>(KafkaClientSecurity.fromEnvironment());
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(15));
            ModelUpdate latest = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (line.equals(r.key()) && r.value() != null) {
                        Decoded<ModelUpdate> d = ModelUpdateCodec.INSTANCE.decode(r.value());
                        if (d.isOk()) {
                            latest = d.value();
                        }
                    }
                }
            }
            return Optional.ofNullable(latest);
        }
    }

    public static void promote(String bootstrap, ModelUpdate update) throws Exception {
        Map<String, Object> config = new java.util.HashMap<>(KafkaClientSecurity.fromEnvironment());
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(Topic.MODEL_UPDATES.topicName(), update.line(),
                    ModelUpdateCodec.INSTANCE.encode(update))).get();
        }
    }
}
