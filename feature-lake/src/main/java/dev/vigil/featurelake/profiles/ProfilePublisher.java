package dev.vigil.featurelake.profiles;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.MerchantProfileCodec;
import dev.vigil.core.topic.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes profiles to their compacted topics for Flink: key = card token or merchant id, value =
 * the versioned JSON of core's codec. Each executor partition has its own idempotent producer and
 * flushes before the task ends, so a failed task is retried whole; a consumer may see a profile
 * twice, which is harmless (same key, same as_of, same content).
 */
public final class ProfilePublisher {

    private ProfilePublisher() {
    }

    public static void publishCards(Dataset<Row> profiles, String bootstrap) {
        publish(profiles, bootstrap, Topic.CARD_PROFILES.topicName(), "card_token",
                r -> CardProfileCodec.INSTANCE.encode(CardProfileRows.fromRow(r)));
    }

    public static void publishMerchants(Dataset<Row> profiles, String bootstrap) {
        publish(profiles, bootstrap, Topic.MERCHANT_PROFILES.topicName(), "merchant_id",
                r -> MerchantProfileCodec.INSTANCE.encode(MerchantProfiles.fromRow(r)));
    }

    /** A row's JSON; serializable because Spark ships it to the executors. */
    private interface Encode extends java.io.Serializable {
        byte[] apply(Row r);
    }

    private static void publish(Dataset<Row> profiles, String bootstrap, String topic, String keyColumn, Encode encode) {
        profiles.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
            try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
                AtomicReference<Exception> failed = new AtomicReference<>();
                rows.forEachRemaining(r -> producer.send(new ProducerRecord<>(topic, r.<String>getAs(keyColumn),
                        encode.apply(r)), (meta, e) -> failOnce(failed, e)));
                producer.flush();
                rethrow(failed, topic);
            }
        });
    }

    private static void failOnce(AtomicReference<Exception> failed, Exception e) {
        if (e != null) {
            failed.compareAndSet(null, e);
        }
    }

    /** A send that failed fails the task (Spark retries it), never a silent gap on the topic. */
    private static void rethrow(AtomicReference<Exception> failed, String topic) {
        if (failed.get() != null) {
            throw new IllegalStateException("publishing to " + topic + " failed: " + failed.get().getMessage(),
                    failed.get());
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.putAll(KafkaClientSecurity.fromEnvironment());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
