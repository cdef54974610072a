package dev.vigil.realtimescoring.job;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.CardWatch;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.CardWatchCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.MerchantProfileCodec;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.realtimescoring.decide.ScoringSettings;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole topology on a Flink MiniCluster with in-memory sources and sinks, passed in through
 * {@link ScoringJob.Sources} and {@link ScoringJob.Sinks} as the Kafka ones are in production: no
 * broker, bounded inputs, so the job ends by itself once everything is decided and the end of input
 * has pushed the detections' watermark to the end of time. {@code ScoringJobIT} covers the same
 * job against the real broker, with restores and model swaps.
 */
class ScoringJobTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long MIN = 60_000L;
    private static final String SHOPPER = "shopper" + "A".repeat(36);
    private static final String TESTED = "tested" + "B".repeat(37);

    @Test
    void everyAuthorizationIsDecidedOnceBadRecordsGoAsideAndThePatternsAlert() throws Exception {
        List<Authorization> valid = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            valid.add(onCard(TestData.auth("shop-" + i, i * MIN, 4_000 + i), SHOPPER));
        }
        // Card testing: four small online probes, then a cash-out within minutes.
        long[] probes = {100, 250, 99, 300};
        for (int i = 0; i < probes.length; i++) {
            valid.add(online("probe-" + i, i * 30_000L, probes[i]));
        }
        valid.add(online("cash-out", 6 * MIN, 120_000));
        // In event-time order, as one partition would carry them: nothing here is meant to be late.
        valid.sort(Comparator.comparingLong(Authorization::eventTimeMs));
        List<byte[]> authorizations = new ArrayList<>(valid.stream().map(ScoringJobTopologyTest::encode).toList());
        authorizations.add("not json".getBytes(StandardCharsets.UTF_8));
        authorizations.add("{\"v\":1}".getBytes(StandardCharsets.UTF_8));

        String run = runJob(authorizations, SHOPPER, ScoringSettings.defaults("topology", ModelSigning.developmentTrust()));

        List<Decision> decisions = decisions(run);
        assertEquals(11, decisions.size(), "one decision for each valid authorization");
        assertEquals(11, decisions.stream().map(Decision::authorizationId).distinct().count(), "none decided twice");
        // Each authorization is folded into its own card exactly once: the counters run 1..n with none
        // repeated. (In order, too, under Kafka's partitions; this source's two splits do not keep a
        // card's order the way a partition does, so order is ScoringJobIT's to check.)
        Map<String, List<Long>> counts = decisions.stream()
                .collect(Collectors.groupingBy(Decision::cardToken, Collectors.mapping(d -> (long) d.cardAuthCount(), Collectors.toList())));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), counts.get(SHOPPER).stream().sorted().toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), counts.get(TESTED).stream().sorted().toList());

        List<TopicRecord> deadLetters = CollectingSink.values(run, "dead-letters");
        assertEquals(2, deadLetters.size());
        assertTrue(deadLetters.stream().allMatch(k -> k.reason != null && !k.reason.isBlank()),
                deadLetters.stream().map(k -> k.reason).toList().toString());

        List<Alert> alerts = new ArrayList<>();
        for (String sink : List.of("alerts", "pattern-alerts")) {
            CollectingSink.values(run, sink).forEach(k -> alerts.add(AlertCodec.INSTANCE.decode(k.value).value()));
        }
        List<Alert> cardTesting = alerts.stream().filter(a -> a.kind().equals("CARD_TESTING")).toList();
        assertEquals(1, cardTesting.size(), alerts.stream().map(Alert::kind).toList().toString());
        assertEquals("cash-out", cardTesting.get(0).authorization().authorizationId());
        assertEquals(List.of(cardTesting.get(0)), CollectingSink.values(run, "pattern-alerts").stream()
                .map(k -> AlertCodec.INSTANCE.decode(k.value).value()).toList(), "the detections job raised it");
        assertTrue(alerts.stream().noneMatch(a -> a.cardToken().equals(SHOPPER)), "the shopper raised nothing");

        List<CardWatch> watches = CollectingSink.values(run, "watches").stream()
                .map(k -> CardWatchCodec.INSTANCE.decode(k.value).value()).toList();
        assertEquals(1, watches.size(), "the match put its card on watch, for the scoring job");
        assertEquals(TESTED, watches.get(0).cardToken());
        assertEquals("CARD_TESTING", watches.get(0).pattern());

        List<TopicRecord> refusals = CollectingSink.values(run, "model-refusals");
        assertEquals(1, refusals.size(), "a refused model update is reported once, not once per subtask");
        assertTrue(refusals.get(0).reason.startsWith("unreadable model update"), refusals.get(0).reason);
    }

    @Test
    void aJobKeyedByTheAnnouncedKeyFoldsEachCardAcrossTheEdgesSwitch() throws Exception {
        String oldToken = "old" + "C".repeat(40), newToken = "new" + "D".repeat(40);
        List<byte[]> authorizations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Authorization a = TestData.auth("rot-" + i, i * MIN, 2_000 + i);
            // The first three while the key is announced (old token of record, the new one beside it), then
            // three after the edge switched to the new key.
            authorizations.add(encode(i < 3
                    ? withTokens(a, oldToken, "2026-01", newToken, "2027-01")
                    : withTokens(a, newToken, "2027-01", null, null)));
        }
        List<Decision> keyedByNewKey = decisions(runJob(authorizations, newToken,
                ScoringSettings.defaults("topology", ModelSigning.developmentTrust()).withCardKeyId("2027-01")));
        assertEquals(authorizations.size(), keyedByNewKey.size());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), keyedByNewKey.stream().map(d -> d.cardAuthCount()).sorted().toList(),
                "keyed by the new key: one card across the switch");
        List<Decision> keyedByRecord = decisions(runJob(authorizations, newToken,
                ScoringSettings.defaults("topology", ModelSigning.developmentTrust())));
        assertEquals(authorizations.size(), keyedByRecord.size());
        Map<String, List<Long>> byRecord = keyedByRecord.stream()
                .collect(Collectors.groupingBy(Decision::cardToken,
                        Collectors.mapping(d -> d.cardAuthCount(), Collectors.toList())));
        assertEquals(List.of(1L, 2L, 3L), byRecord.get(oldToken).stream().sorted().toList(),
                "keyed by the token of record: two cards");
        assertEquals(List.of(1L, 2L, 3L), byRecord.get(newToken).stream().sorted().toList());
    }

    /**
     * Runs both jobs (scoring and detections) on in-memory sources: these authorizations, a profile
     * for card {@code profiled}, one merchant profile, an unreadable model update, and on the
     * watches' topic an expired watch and an unreadable record, which must not fail the job (a
     * watch's effect on decisions is {@code ScoringFunctionTest}'s to check, and the way between the
     * jobs {@code ScoringJobIT}'s). Returns the run's name, under which the collecting sinks hold
     * what they wrote.
     */
    private static String runJob(List<byte[]> authorizations, String profiled, ScoringSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        String run = "run-" + System.nanoTime();
        ScoringJob.Sources sources = new ScoringJob.Sources(
                InMemorySource.of(authorizations),
                InMemorySource.of(List.of(CardWatchCodec.INSTANCE.encode(new CardWatch(profiled, "CARD_TESTING", 946_684_800_000L, "w-1", 0)),
                        "{\"v\":1,\"card_token\":\"short\"}".getBytes(StandardCharsets.UTF_8))),
                InMemorySource.of(List.of(CardProfileCodec.INSTANCE.encode(profile(profiled)))),
                InMemorySource.of(List.of(MerchantProfileCodec.INSTANCE.encode(new MerchantProfile("merchant-1",
                        LocalDate.of(2024, 2, 27), 1_000, 300, 40.0, 0.01, 0.1, 2)))),
                InMemorySource.of(List.of("not a model update".getBytes(StandardCharsets.UTF_8))));
        ScoringJob.Sinks sinks = new ScoringJob.Sinks(new CollectingSink(run, "decisions"), new CollectingSink(run, "alerts"),
                new CollectingSink(run, "dead-letters"), new CollectingSink(run, "late"),
                new CollectingSink(run, "model-refusals"), null);
        ScoringJob.build(env, sources, sinks, settings, Duration.ofSeconds(5));
        DetectionJob.build(env, InMemorySource.of(authorizations), new CollectingSink(run, "pattern-alerts"),
                new CollectingSink(run, "watches"), Duration.ofSeconds(10), settings.watchMs(), settings.alertsFromMs(),
                settings.cardKeyId());
        env.execute("topology test " + run);
        return run;
    }

    private static List<Decision> decisions(String run) {
        return CollectingSink.values(run, "decisions").stream()
                .map(k -> DecisionCodec.INSTANCE.decode(k.value).value()).toList();
    }

    private static Authorization withTokens(Authorization a, String token, String keyId, String next, String nextKeyId) {
        return new Authorization(a.authorizationId(), token, keyId, a.bin(), a.last4(), a.panLength(),
                a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(),
                a.merchantCountry(), a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(), a.entryMode(),
                a.hostDecline(), a.eventTimeMs(), a.cardSeq(), next, nextKeyId);
    }

    private static Authorization onCard(Authorization a, String token) {
        return new Authorization(a.authorizationId(), token, a.tokenKeyId(), a.bin(), a.last4(), a.panLength(),
                a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(),
                a.merchantCountry(), a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(), a.entryMode(),
                a.hostDecline(), a.eventTimeMs(), a.cardSeq(), null, null);
    }

    private static Authorization online(String id, long offsetMs, long cents) {
        return onCard(TestData.at(TestData.auth(id, offsetMs, cents), "shop-" + id, "US", Double.NaN, Double.NaN,
                Channel.ECOMMERCE), TESTED);
    }

    private static byte[] encode(Authorization a) {
        return AuthorizationCodec.INSTANCE.encode(a);
    }

    private static CardProfile profile(String token) {
        return new CardProfile(token, LocalDate.of(2024, 2, 27), 30, 40, 10, 90, 50, 20, new float[24], Map.of(),
                List.of("US"), List.of("merchant-1"), 40.7, -74.0, 0, null);
    }

    /** A bounded source of the given records, in order, as a Kafka topic's one partition would give them. */
    static final class InMemorySource {
        static DataGeneratorSource<RawRecord> of(List<byte[]> records) {
            List<byte[]> copy = new ArrayList<>(records);
            GeneratorFunction<Long, RawRecord> at = i -> new RawRecord(copy.get(i.intValue()), "in-memory", 0, i,
                    dev.vigil.core.event.WallClock.micros());
            return new DataGeneratorSource<>(at, copy.size(), TypeInformation.of(RawRecord.class));
        }
    }

    /** Keeps what it receives in this JVM (the MiniCluster's), by run and name. */
    static final class CollectingSink implements Sink<TopicRecord> {
        private static final Map<String, Queue<TopicRecord>> RECEIVED = new ConcurrentHashMap<>();
        private final String key;

        CollectingSink(String run, String name) {
            this.key = run + "/" + name;
        }

        static List<TopicRecord> values(String run, String name) {
            return List.copyOf(RECEIVED.getOrDefault(run + "/" + name, new ConcurrentLinkedQueue<>()));
        }

        @Override
        public SinkWriter<TopicRecord> createWriter(WriterInitContext context) {
            Queue<TopicRecord> queue = RECEIVED.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<>() {
                @Override
                public void write(TopicRecord element, Context context) {
                    queue.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
