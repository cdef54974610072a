package dev.vigil.alertapi.ingest;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.alertapi.alert.AlertSummary;
import dev.vigil.alertapi.kafka.KafkaSettings;
import dev.vigil.alertapi.kafka.Producers;
import dev.vigil.core.event.Alert;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.token.PanMasking;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes {@code alerts} into PostgreSQL. At-least-once from Kafka (offsets are committed after the
 * batch's transaction), exactly once in the table (inserts are idempotent by alert id). A record
 * that does not decode goes to the alerts dead-letter topic with its reason, digits masked; a
 * database or commit failure rewinds to the batch's first offsets and retries, so nothing is skipped.
 */
@Context
@Requires(property = "vigil.api.ingest.enabled", notEquals = "false")
public final class AlertIngest implements Runnable {
    public static final String DLQ_REASON_HEADER = "vigil-dlq-reason";
    private static final Logger LOG = LoggerFactory.getLogger(AlertIngest.class);

    private final KafkaSettings settings;
    private final AlertWriter writer;
    private final LiveAlerts live;
    private final Producers producers;
    private final Counter ingested;
    private final Counter duplicates;
    private final Counter rejected;
    private final AtomicLong lag = new AtomicLong();
    private final RateWindow rate = new RateWindow(10_000);
    private final int maxPollRecords;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public AlertIngest(KafkaSettings settings, AlertWriter writer, LiveAlerts live, Producers producers,
                       MeterRegistry meters, @Value("${vigil.api.ingest.max-poll-records:1000}") int maxPollRecords) {
        this.settings = settings;
        this.writer = writer;
        this.live = live;
        this.producers = producers;
        this.maxPollRecords = maxPollRecords;
        this.ingested = Counter.builder("vigil.alerts.ingested").description("alerts stored for the first time")
                .register(meters);
        this.duplicates = Counter.builder("vigil.alerts.duplicates")
                .description("redelivered alerts that were already stored").register(meters);
        this.rejected = Counter.builder("vigil.alerts.rejected")
                .description("alert records sent to the dead-letter topic").register(meters);
        Gauge.builder("vigil.alerts.consumer.lag", lag, AtomicLong::get)
                .description("records on the alerts topic not yet stored").register(meters);
        Gauge.builder("vigil.alerts.ingest.rate", rate, RateWindow::perSecond)
                .description("alerts stored per second, over the last 10 s").register(meters);
    }

    @PostConstruct
    void start() {
        thread = new Thread(this, "alert-ingest");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.putAll(KafkaClientSecurity.fromEnvironment());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-alert-api-ingest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(settings.alertsTopic()));
            LOG.info("Consuming {} from {} as group {}", settings.alertsTopic(), settings.bootstrap(),
                    settings.consumerGroup());
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    handle(c, records);
                }
                measureLag(c);
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("Alert ingest stopped", e);
            throw e;
        }
        LOG.info("Alert ingest stopped");
    }

    private void handle(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        Map<String, AlertWriter.Incoming> batch = new LinkedHashMap<>();
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
            Decoded<Alert> decoded = r.value() == null ? Decoded.rejected("empty record")
                    : AlertCodec.INSTANCE.decode(r.value());
            if (decoded.isOk()) {
                batch.putIfAbsent(decoded.value().alertId(), new AlertWriter.Incoming(decoded.value(), r.value()));
            } else {
                deadLetters.add(deadLetter(r, decoded.reason()));
            }
        }
        try {
            for (ProducerRecord<String, byte[]> dl : deadLetters) {
                producers.producer().send(dl).get();
            }
            List<AlertSummary> fresh = writer.store(new ArrayList<>(batch.values()));
            c.commitSync(next);
            ingested.increment(fresh.size());
            duplicates.increment(records.count() - deadLetters.size() - fresh.size());
            rejected.increment(deadLetters.size());
            rate.add(fresh.size());
            fresh.forEach(live::publish);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (Exception e) {
            LOG.warn("Storing {} alerts or committing their offsets failed, retrying the batch: {}", batch.size(),
                    e.getMessage());
            // The batch's own first offsets, not the committed ones: asking the broker for those is
            // what fails while it is away (a restart), and would stop the ingest for good.
            first.forEach(c::seek);
            pause(2_000);
        }
    }

    private ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.warn("Alert record {}-{}@{} rejected: {}", r.topic(), r.partition(), r.offset(), reason);
        byte[] masked = r.value() == null ? new byte[0] : PanMasking.mask(r.value());
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(settings.alertsDlqTopic(),
                r.key() == null ? null : PanMasking.mask(r.key()), masked);
        out.headers().add(DLQ_REASON_HEADER, PanMasking.mask(reason).getBytes(StandardCharsets.UTF_8));
        out.headers().add("vigil-source", (r.topic() + "-" + r.partition() + "@" + r.offset())
                .getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private void measureLag(KafkaConsumer<String, byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
