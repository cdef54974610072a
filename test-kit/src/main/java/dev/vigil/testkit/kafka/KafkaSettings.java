package dev.vigil.testkit.kafka;

import dev.vigil.core.topic.KafkaClientSecurity;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Properties;

/** Client settings for the tools, the suites and the engines' tests: low-latency producers, plain consumers. */
public final class KafkaSettings {
    private KafkaSettings() {
    }

    /** The broker: {@code -Dvigil.kafka.bootstrap}, else the local default. */
    public static String bootstrap() {
        String b = System.getProperty("vigil.kafka.bootstrap", "");
        return b.isBlank() ? "127.0.0.1:9092" : b;
    }

    /** A producer that sends at once (linger 0: Kafka 4 defaults to 5 ms) and waits for the broker. */
    public static Properties producer(String bootstrap) {
        Properties p = new Properties();
        p.putAll(KafkaClientSecurity.fromEnvironment());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    /** A bulk producer for imports: batches for throughput. */
    public static Properties bulkProducer(String bootstrap) {
        Properties p = producer(bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    public static Properties consumer(String bootstrap, String group) {
        Properties p = new Properties();
        p.putAll(KafkaClientSecurity.fromEnvironment());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
