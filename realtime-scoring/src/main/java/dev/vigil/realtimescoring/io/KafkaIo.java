package dev.vigil.realtimescoring.io;

import dev.vigil.core.topic.KafkaClientSecurity;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Kafka sources and sinks of the job, built from the broker address. */
public final class KafkaIo {
    public static final String DLQ_REASON_HEADER = "vigil-dlq-reason";

    private KafkaIo() {
    }

    /**
     * Where a source starts when it has no checkpointed position: the group's committed offsets
     * (earliest when none), the earliest, the latest, or the first record written at or after a
     * time ({@code at:EPOCH_MS}: the load test's drain puts its backlog on the topic first, then
     * starts the job there).
     */
    public record StartFrom(Kind kind, long atEpochMs) {
        public enum Kind { COMMITTED, EARLIEST, LATEST, AT }

        public static final StartFrom COMMITTED = new StartFrom(Kind.COMMITTED, 0);
        public static final StartFrom EARLIEST = new StartFrom(Kind.EARLIEST, 0);
        public static final StartFrom LATEST = new StartFrom(Kind.LATEST, 0);

        /** committed | earliest | latest | at:EPOCH_MS */
        public static StartFrom parse(String text) {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.startsWith("at:")) {
                try {
                    return new StartFrom(Kind.AT, Long.parseLong(t.substring(3)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--start-from at: needs epoch milliseconds, got " + text);
                }
            }
            return switch (t) {
                case "committed" -> COMMITTED;
                case "earliest" -> EARLIEST;
                case "latest" -> LATEST;
                default -> throw new IllegalArgumentException(
                        "--start-from must be committed, earliest, latest or at:EPOCH_MS, got " + text);
            };
        }

        OffsetsInitializer offsets() {
            return switch (kind) {
                case EARLIEST -> OffsetsInitializer.earliest();
                case LATEST -> OffsetsInitializer.latest();
                case AT -> OffsetsInitializer.timestamp(atEpochMs);
                case COMMITTED -> OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST);
            };
        }
    }

    /** Raw records of a topic, from the committed offsets of {@code group} (earliest when none), or the earliest. */
    public static KafkaSource<RawRecord> rawSource(String bootstrap, String topic, String group, boolean fromEarliest) {
        return rawSource(bootstrap, topic, group, fromEarliest ? StartFrom.EARLIEST : StartFrom.COMMITTED);
    }

    public static KafkaSource<RawRecord> rawSource(String bootstrap, String topic, String group, StartFrom start) {
        return rawSource(bootstrap, topic, group, start, 1, 500);
    }

    /**
     * @param fetchMinBytes  the broker answers a fetch once it has this much (or the wait ran out):
     *                       1 answers every record at once, at one request per few records
     * @param fetchMaxWaitMs the longest a fetch waits for {@code fetchMinBytes}: what batching
     *                       may add to a decision's latency
     */
    public static KafkaSource<RawRecord> rawSource(String bootstrap, String topic, String group, StartFrom start,
                                                   int fetchMinBytes, int fetchMaxWaitMs) {
        var builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(start.offsets())
                .setDeserializer(new RawDeserializer())
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("fetch.min.bytes", Integer.toString(fetchMinBytes))
                .setProperty("fetch.max.wait.ms", Integer.toString(fetchMaxWaitMs));
        KafkaClientSecurity.fromEnvironment().forEach(builder::setProperty);
        return builder.build();
    }

    /** TopicRecord records out, at-least-once, sent at once (linger 0): no waiting for a checkpoint. */
    public static KafkaSink<TopicRecord> sink(String bootstrap, String topic) {
        return sink(bootstrap, topic, 0);
    }

    /**
     * TopicRecord records out, at-least-once, never waiting for a checkpoint; {@code lingerMs} lets the
     * producer gather what arrives within that many ms into one request (one request per record
     * at 0), at most that much added to the record's latency.
     */
    public static KafkaSink<TopicRecord> sink(String bootstrap, String topic, int lingerMs) {
        return sink(bootstrap, topic, lingerMs, "lz4");
    }

    /** As above, with the producer's {@code compression} (none, lz4, zstd, ...) for each request's batch. */
    public static KafkaSink<TopicRecord> sink(String bootstrap, String topic, int lingerMs, String compression) {
        Properties producer = new Properties();
        producer.putAll(KafkaClientSecurity.fromEnvironment());
        producer.setProperty("linger.ms", Integer.toString(lingerMs));
        producer.setProperty("compression.type", compression);
        producer.setProperty("enable.idempotence", "true");
        return KafkaSink.<TopicRecord>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(new KeyedSerializer(topic))
                .build();
    }

    static final class RawDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
            out.collect(new RawRecord(record.value(), record.topic(), record.partition(), record.offset(),
                    dev.vigil.core.event.WallClock.micros()));
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return TypeInformation.of(RawRecord.class);
        }
    }

    static final class KeyedSerializer implements KafkaRecordSerializationSchema<TopicRecord> {
        private final String topic;

        KeyedSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(TopicRecord k, KafkaSinkContext context, Long timestamp) {
            RecordHeaders headers = new RecordHeaders();
            if (k.reason != null) {
                headers.add(DLQ_REASON_HEADER, k.reason.getBytes(StandardCharsets.UTF_8));
            }
            return new ProducerRecord<>(topic, null, null,
                    k.key == null ? null : k.key.getBytes(StandardCharsets.UTF_8), k.value, headers);
        }
    }
}
