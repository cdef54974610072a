package dev.vigil.alertapi.casework;

import dev.vigil.alertapi.Db;
import dev.vigil.alertapi.kafka.KafkaSettings;
import dev.vigil.alertapi.kafka.Producers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Publishes labels written by resolutions to the {@code labels} topic. A resolution commits its
 * labels to the outbox table and then asks for a flush; a scheduled flush retries whatever a broker
 * outage left behind. Delivery is at-least-once (a crash between send and mark republishes the same
 * label id, which the lake's insert-only MERGE drops), never lost.
 */
@Singleton
public class LabelOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(LabelOutbox.class);
    private static final String PENDING = """
            SELECT label_id, card_token, payload FROM label_outbox WHERE published_at IS NULL
            ORDER BY created_at, label_id LIMIT 500""";
    private static final String MARK = "UPDATE label_outbox SET published_at = now() WHERE label_id = ?";

    private record Pending(String labelId, String cardToken, String payload) {
    }

    private final Db db;
    private final Producers producers;
    private final KafkaSettings settings;
    private final Counter published;

    public LabelOutbox(Db db, Producers producers, KafkaSettings settings, MeterRegistry meters) {
        this.db = db;
        this.producers = producers;
        this.settings = settings;
        this.published = Counter.builder("vigil.labels.published").description("labels published to Kafka")
                .register(meters);
    }

    /** Sends every pending label and marks those the broker acknowledged; returns how many. */
    public synchronized int flush() {
        int total = 0;
        while (true) {
            List<Pending> pending = db.read(c -> {
                List<Pending> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(PENDING); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Pending(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return out;
            });
            if (pending.isEmpty()) {
                return total;
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Pending p : pending) {
                sent.add(producers.producer().send(new ProducerRecord<>(settings.labelsTopic(), p.cardToken(),
                        p.payload().getBytes(StandardCharsets.UTF_8))));
            }
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                try {
                    sent.get(i).get();
                    acknowledged.add(pending.get(i).labelId());
                } catch (Exception e) {
                    LOG.warn("Label {} not published yet ({}); the next flush retries", pending.get(i).labelId(),
                            e.getMessage());
                }
            }
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(MARK)) {
                    for (String id : acknowledged) {
                        ps.setString(1, id);
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
            published.increment(acknowledged.size());
            total += acknowledged.size();
            if (acknowledged.size() < pending.size()) {
                return total;
            }
        }
    }

    @Scheduled(fixedDelay = "${vigil.api.outbox.retry:5s}", initialDelay = "5s")
    void retry() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Label outbox flush failed: {}", e.getMessage());
        }
    }
}
