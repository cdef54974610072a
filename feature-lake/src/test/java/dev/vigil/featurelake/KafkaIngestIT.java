package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.json.MerchantProfileCodec;
import dev.vigil.core.topic.Topic;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.KafkaIngest;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.testkit.kafka.RealKafka;
import io.delta.tables.DeltaTable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nightly against the real test broker: Kafka → bronze exactly once, profiles back to compacted topics. */
class KafkaIngestIT {
    private static final List<Topic> TOPICS = List.of(Topic.AUTHORIZATIONS, Topic.DECISIONS, Topic.LABELS,
            Topic.CARD_PROFILES, Topic.MERCHANT_PROFILES);
    private static SparkSession spark;
    private static String bootstrap;

    @BeforeAll
    static void topics() throws Exception {
        bootstrap = RealKafka.bootstrap();
        for (Topic t : TOPICS) {
            System.setProperty("vigil.topic." + t.defaultName(), RealKafka.newTopic("lake-" + t.defaultName(), 2));
        }
        spark = SharedSpark.get();
    }

    @AfterAll
    static void clear() {
        TOPICS.forEach(t -> System.clearProperty("vigil.topic." + t.defaultName()));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    private static void sendDays(KafkaProducer<String, byte[]> p, int fromDay, int toDay) throws Exception {
        for (int day = fromDay; day <= toDay; day++) {
            for (int card = 0; card < SmallWorld.CARDS; card++) {
                var a = SmallWorld.payment(card, day);
                p.send(new ProducerRecord<>(Topic.AUTHORIZATIONS.topicName(), a.cardToken(),
                        AuthorizationCodec.INSTANCE.encode(a))).get();
            }
        }
    }

    @Test
    void landsTopicsOnceQuarantinesBadRecordsAndPublishesChangedProfiles(@TempDir Path tmp) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            sendDays(p, 0, 9);
            var retransmitted = SmallWorld.payment(2, 9);
            p.send(new ProducerRecord<>(Topic.AUTHORIZATIONS.topicName(), retransmitted.cardToken(),
                    AuthorizationCodec.INSTANCE.encode(retransmitted))).get();
            p.send(new ProducerRecord<>(Topic.AUTHORIZATIONS.topicName(), "k",
                    "{\"v\":1,\"pan\":\"4111111111111111\"".getBytes(StandardCharsets.UTF_8))).get();
            var label = SmallWorld.chargeback();
            p.send(new ProducerRecord<>(Topic.LABELS.topicName(), label.cardToken(), LabelCodec.INSTANCE.encode(label))).get();
        }
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        Nightly nightly = new Nightly(spark, new Nightly.Options(lake, bootstrap, Nightly.KafkaMode.ON,
                Nightly.KafkaMode.ON, 14, new QualityRules(0.5, 3, 0.1, 6, 0.05), tmp.resolve("runs")), s -> { });

        Map<String, Object> summary = nightly.run(SmallWorld.DAY0.plusDays(9), true);

        assertEquals(Map.of("authorizations", 40L, "decisions", 0L, "labels", 1L), summary.get("rows_ingested"));
        assertEquals(1L, summary.get("duplicates_skipped"));
        assertEquals(1L, summary.get("quarantined"));
        Row bad = spark.read().format("delta").load(lake.quarantine()).first();
        assertTrue(bad.<String>getAs("src").startsWith("kafka:"), bad.toString());
        assertFalse(bad.<String>getAs("raw_masked").contains("4111111111111111"));
        assertTrue(spark.read().format("delta").load(lake.bronze("authorizations"))
                .filter(col("src").startsWith("kafka:").and(col("src_offset").geq(0))).count() == 40);

        // Nothing new on the topic: the ingest is a no-op and commits nothing.
        long version = DeltaTable.forPath(spark, lake.bronze("authorizations")).history(1).first().getLong(0);
        assertEquals(Bronze.Landed.NONE, KafkaIngest.ingest(spark, lake, BronzeStream.AUTHORIZATIONS, bootstrap));
        assertEquals(version, DeltaTable.forPath(spark, lake.bronze("authorizations")).history(1).first().getLong(0));

        List<ConsumerRecord<String, byte[]>> cards = RealKafka.readAll(Topic.CARD_PROFILES.topicName(), 4, Duration.ofSeconds(30));
        assertEquals(4, cards.size());
        Set<String> keys = cards.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertEquals(Set.of(SmallWorld.token(0), SmallWorld.token(1), SmallWorld.token(2), SmallWorld.token(3)), keys);
        for (ConsumerRecord<String, byte[]> r : cards) {
            CardProfile profile = CardProfileCodec.INSTANCE.decode(r.value()).value();
            assertEquals(r.key(), profile.cardToken());
            assertEquals(SmallWorld.DAY0.plusDays(9), profile.asOf());
            assertEquals(r.key().equals(SmallWorld.token(0)) ? 1 : 0, profile.chargebacks365d());
        }
        List<ConsumerRecord<String, byte[]>> merchants =
                RealKafka.readAll(Topic.MERCHANT_PROFILES.topicName(), 1, Duration.ofSeconds(30));
        assertEquals(1, merchants.size());
        MerchantProfile m = MerchantProfileCodec.INSTANCE.decode(merchants.get(0).value()).value();
        assertEquals("m-late", m.merchantId());
        assertEquals(40, m.txnCount90d());

        // The next night lands only what arrived since.
        try (KafkaProducer<String, byte[]> p = producer()) {
            sendDays(p, 10, 10);
        }
        Map<String, Object> next = nightly.run(SmallWorld.DAY0.plusDays(10), true);
        assertEquals(4L, ((Map<?, ?>) next.get("rows_ingested")).get("authorizations"));
        assertEquals(44, spark.read().format("delta").load(lake.bronze("authorizations")).count());
    }
}
