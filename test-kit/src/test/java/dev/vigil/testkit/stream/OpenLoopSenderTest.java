package dev.vigil.testkit.stream;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the real broker: generated traffic sent at a fixed offered rate is read back complete and
 * intact, keyed by card, each card's records in order, each carrying its scheduled send time.
 * Nothing here is timed against a threshold: rates are reported, not asserted.
 */
class OpenLoopSenderTest {

    @Test
    void everyRecordSentAtAFixedRateIsReadBackIntact() throws Exception {
        String topic = RealKafka.newTopic("auth", 4);
        WorldConfig config = WorldConfig.of(5, 2_000, LocalDate.of(2024, 6, 1));
        LiveTraffic traffic = new LiveTraffic(new Simulator(new World(config, new PanTokenizer(TokenKey.development()))));
        int n = 3_000;
        List<Authorization> sent = new ArrayList<>(n);
        var messages = LiveTraffic.asMessages(new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Generated next() {
                Generated g = traffic.next();
                sent.add(g.authorization());
                return g;
            }
        });
        OpenLoopSender.Report report;
        long before = System.currentTimeMillis() * 1000;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            report = OpenLoopSender.run(producer, topic, messages, 1_500, Duration.ofSeconds(30), n, null);
        }
        System.out.println("open-loop send to the real broker: " + report);
        assertEquals(n, report.sent());
        assertEquals(0, report.failed());

        List<ConsumerRecord<String, byte[]>> got = RealKafka.readAll(topic, n, Duration.ofSeconds(60));
        assertEquals(n, got.size(), "every record arrives, once");
        Map<String, Authorization> byId = new HashMap<>();
        sent.forEach(a -> byId.put(a.authorizationId(), a));
        Map<String, Long> lastSeq = new HashMap<>();
        long previousScheduled = 0;
        for (ConsumerRecord<String, byte[]> r : got) {
            Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(r.value());
            assertTrue(d.isOk(), d::reason);
            Authorization a = d.value();
            assertEquals(byId.get(a.authorizationId()), a, "intact");
            assertArrayEquals(AuthorizationCodec.INSTANCE.encode(a), r.value());
            assertEquals(a.cardToken(), r.key(), "keyed by card token");
            assertTrue(a.cardSeq() > lastSeq.getOrDefault(a.cardToken(), 0L), "a card's records stay in order");
            lastSeq.put(a.cardToken(), a.cardSeq());
            long scheduled = OpenLoopSender.scheduledMicros(r.headers());
            assertTrue(scheduled >= before, "carries its scheduled send time");
            previousScheduled = Math.max(previousScheduled, scheduled);
        }
        // Schedules are 1/rate apart: the last is about (n-1)/rate after the first.
        long first = got.stream().mapToLong(r -> OpenLoopSender.scheduledMicros(r.headers())).min().orElseThrow();
        assertEquals((n - 1) * 1_000_000L / 1_500, previousScheduled - first, 2);
    }
}
