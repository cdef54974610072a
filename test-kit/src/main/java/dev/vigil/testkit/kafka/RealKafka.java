package dev.vigil.testkit.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real broker the test run started ({@code ./vigil test}, or {@code ./vigil services up} when a
 * test runs alone). Tests never share topics: each makes its own.
 */
public final class RealKafka {
    private RealKafka() {
    }

    public static String bootstrap() {
        String b = KafkaSettings.bootstrap();
        String[] hostPort = b.split(",")[0].split(":");
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2_000);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no Kafka broker at " + b + ": run the tests with ./vigil test, "
                    + "or start one with ./vigil services up (and -Dvigil.kafka.bootstrap=" + b + ")");
        }
        return b;
    }

    public static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    /** Creates a topic with a unique name. */
    public static String newTopic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    /** Reads a topic from the start until {@code expected} records arrived or {@code timeout} passed. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        Properties props = KafkaSettings.consumer(bootstrap(), "test-" + UUID.randomUUID());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // One more short poll: anything beyond `expected` is a duplicate the caller should see.
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }
}
