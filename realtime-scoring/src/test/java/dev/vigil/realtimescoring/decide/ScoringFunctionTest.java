package dev.vigil.realtimescoring.decide;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.TestData;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardWatch;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.model.TestModels;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringFunctionTest {
    private static final long MIN = 60_000L;
    private KeyedBroadcastOperatorTestHarness<String, CardMessage, BroadcastUpdate, TopicRecord> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
        // In the job the broadcast side carries no event time: its watermark sits at the end of time.
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    private static KeyedBroadcastOperatorTestHarness<String, CardMessage, BroadcastUpdate, TopicRecord> newHarness() throws Exception {
        return newHarness(ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust()).withFeatureLogging());
    }

    private static KeyedBroadcastOperatorTestHarness<String, CardMessage, BroadcastUpdate, TopicRecord> newHarness(ScoringSettings settings)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new ScoringFunction(settings),
                CardMessage::cardToken, Types.STRING, ScoringFunction.MODELS, ScoringFunction.MERCHANTS,
                ScoringFunction.MERCHANT_RISK);
    }

    /** A harness that starts from {@code snapshot}, as a job restored from a checkpoint. */
    private static KeyedBroadcastOperatorTestHarness<String, CardMessage, BroadcastUpdate, TopicRecord> restored(
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<String, CardMessage, BroadcastUpdate, TopicRecord>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(
                        new ScoringFunction(ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust()).withFeatureLogging()),
                        List.of(ScoringFunction.MODELS, ScoringFunction.MERCHANTS, ScoringFunction.MERCHANT_RISK)),
                CardMessage::cardToken, Types.STRING, 1, 1, 0);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** TopicRecord state entries of every card (heap backend in the harness). */
    private int stateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private void send(Authorization a) throws Exception {
        harness.processElement(CardMessage.of(a, dev.vigil.core.event.WallClock.micros()), a.eventTimeMs());
    }

    private List<Decision> decisions() {
        return harness.extractOutputValues().stream()
                .map(k -> DecisionCodec.INSTANCE.decode(k.value).value()).toList();
    }

    private List<Alert> alerts() {
        return harness.getSideOutput(ScoringFunction.ALERTS) == null ? List.of()
                : harness.getSideOutput(ScoringFunction.ALERTS).stream()
                .map(r -> AlertCodec.INSTANCE.decode(r.getValue().value).value()).toList();
    }

    /** The logged value of {@code feature} for each decided authorization, in order. */
    private List<Float> logged(dev.vigil.core.feature.Feature feature) {
        return harness.getSideOutput(ScoringFunction.FEATURES).stream()
                .map(r -> Float.parseFloat(new String(r.getValue().value, java.nio.charset.StandardCharsets.US_ASCII)
                        .split(",")[2 + feature.ordinal()]))
                .toList();
    }

    private static byte[] label(String authorizationId, String merchant, boolean fraud,
                                dev.vigil.core.event.LabelSource source, long knownAtOffsetMs, long eventOffsetMs) {
        return dev.vigil.core.json.LabelCodec.INSTANCE.encode(dev.vigil.core.event.Label.of(authorizationId,
                "tok_other_cardAAAAAAAAAAAAAAAAAA", merchant, fraud, source, TestData.T0 + knownAtOffsetMs,
                TestData.T0 + eventOffsetMs, null));
    }

    @Test
    void aLabelCountsForItsMerchantFromTheMomentItIsKnownAndTheCountSurvivesARestore() throws Exception {
        // Known at 30 min, about an authorization at merchant-1 at minute 1: sent early, as a backfill would.
        harness.processBroadcastElement(BroadcastUpdate.label(label("victim-1", "merchant-1", true,
                dev.vigil.core.event.LabelSource.CHARGEBACK, 30 * MIN, MIN)), 0);
        harness.processBroadcastElement(BroadcastUpdate.label(label("victim-2", "elsewhere", true,
                dev.vigil.core.event.LabelSource.CHARGEBACK, 0, 0)), 0);
        harness.processBroadcastElement(BroadcastUpdate.label("not a label".getBytes()), 0);
        send(TestData.auth("before", 10 * MIN, 1_000));
        send(TestData.auth("after", 40 * MIN, 1_000));
        assertEquals(List.of(0f, 1f), logged(dev.vigil.core.feature.Feature.MERCHANT_FRAUDS_1D));
        assertEquals(List.of(0L, TestData.T0 + 30 * MIN), decisions().stream().map(Decision::merchantRiskAsOfMs).toList(),
                "each decision names the merchant-risk state it used");

        var snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = restored(snapshot);
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        send(TestData.auth("restored", 50 * MIN, 1_000));
        harness.processBroadcastElement(BroadcastUpdate.label(label("victim-3", "merchant-1", true,
                dev.vigil.core.event.LabelSource.ANALYST, 55 * MIN, 52 * MIN)), 0);
        send(TestData.auth("two", 60 * MIN, 1_000));
        assertEquals(List.of(1f, 2f), logged(dev.vigil.core.feature.Feature.MERCHANT_FRAUDS_1D));
        assertEquals(List.of(1f, 1f), logged(dev.vigil.core.feature.Feature.MERCHANT_FRAUD_CARDS_1D),
                "both frauds were on the same other card");
    }

    @Test
    void anAuthorizationTheStateHoldsAlreadyIsNotDecidedAgain() throws Exception {
        // What a restore from an at-least-once checkpoint replays: the snapshot already holds a1 and a2
        // (records past the source's offsets), and a1 comes again.
        send(TestData.auth("a1", 0, 4250));
        send(TestData.auth("a2", MIN, 100_000));
        var snapshot = harness.snapshot(1, 1);
        try (var h = restored(snapshot)) {
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Authorization again = TestData.auth("a1", 0, 4250);
            h.processElement(CardMessage.of(again, dev.vigil.core.event.WallClock.micros()), again.eventTimeMs());
            Authorization next = TestData.auth("a3", 2 * MIN, 7_000);
            h.processElement(CardMessage.of(next, dev.vigil.core.event.WallClock.micros()), next.eventTimeMs());
            List<Decision> d = h.extractOutputValues().stream().map(k -> DecisionCodec.INSTANCE.decode(k.value).value()).toList();
            assertEquals(List.of("a3"), d.stream().map(Decision::authorizationId).toList(),
                    "a1's decision went out before the snapshot; deciding it from a state that holds a2 would differ");
            assertEquals(3, d.get(0).cardAuthCount(), "a1 folded once");
        }
    }

    @Test
    void withoutAModelEveryAuthorizationIsApprovedWithNoModel() throws Exception {
        send(TestData.auth("a1", 0, 4250));
        send(TestData.auth("a2", MIN, 100_000));
        List<Decision> d = decisions();
        assertEquals(2, d.size());
        assertEquals(Action.APPROVE, d.get(1).action());
        assertEquals(List.of("NO_MODEL"), d.get(1).reasons());
        assertTrue(Float.isNaN(d.get(1).score()));
        assertNull(d.get(1).modelVersion());
        assertEquals(2, d.get(1).cardAuthCount());
    }

    @Test
    void aPublishedChampionScoresAndACorruptOneIsRefusedWhileTheOldKeepsServing(@TempDir Path store) throws Exception {
        ModelUpdate v1 = TestModels.publish(store, "v1");
        harness.processBroadcastElement(BroadcastUpdate.modelUpdate(TestModels.json(v1)), 0);
        send(TestData.auth("small", 0, 1_000));
        send(TestData.auth("big", MIN, 90_000));

        ModelUpdate v2 = TestModels.publish(store, "v2");
        Files.write(FileLocations.path(v2.uri() + "/model.json"), "{\"truncated".getBytes());
        harness.processBroadcastElement(BroadcastUpdate.modelUpdate(TestModels.json(v2)), 0);
        harness.processBroadcastElement(BroadcastUpdate.modelUpdate("not json".getBytes()), 0);
        send(TestData.auth("medium", 2 * MIN, 20_000));

        List<Decision> d = decisions();
        assertEquals(Action.APPROVE, d.get(0).action());
        assertEquals(Action.DECLINE, d.get(1).action());
        assertTrue(d.get(1).reasons().contains("amount_log"), d.get(1).reasons().toString());
        assertEquals("v1", d.get(1).modelVersion());
        assertEquals(Action.REVIEW, d.get(2).action());
        assertEquals("v1", d.get(2).modelVersion(), "the corrupt v2 never serves");
        List<Alert> alerts = alerts();
        assertEquals(List.of("MODEL_DECLINE", "MODEL_REVIEW"), alerts.stream().map(Alert::kind).toList());
        assertEquals(Alert.idFor("big", "MODEL_DECLINE"), alerts.get(0).alertId());
        assertEquals(d.get(1), alerts.get(0).decision());
        assertEquals(2, alerts.get(0).recent().size());

        // Each refusal is one record on the refusals output, with the reason: the operators' alert.
        var refusals = harness.getSideOutput(ScoringFunction.MODEL_REFUSALS).stream().map(r -> r.getValue()).toList();
        assertEquals(2, refusals.size());
        assertEquals(TestModels.LINE, refusals.get(0).key);
        assertTrue(refusals.get(0).reason.contains("v2 fails its checksum"), refusals.get(0).reason);
        assertTrue(refusals.get(1).reason.startsWith("unreadable model update"), refusals.get(1).reason);
    }

    private void sendProfile(java.time.LocalDate asOf) throws Exception {
        dev.vigil.core.event.CardProfile p = new dev.vigil.core.event.CardProfile(TestData.TOKEN, asOf, 30, 40, 10, 90,
                50, 20, new float[24], java.util.Map.of(), List.of("US"), List.of("merchant-1"), 40.7, -74.0, 0, null);
        harness.processElement(CardMessage.profile(TestData.TOKEN,
                dev.vigil.core.json.CardProfileCodec.INSTANCE.encode(p)), 0);
    }

    @Test
    void theNewestProfileAtLeastTwoDaysOldIsUsedAndOnlyThreeVersionsAreKept() throws Exception {
        for (String day : List.of("2024-02-25", "2024-02-29", "2024-02-27", "2024-02-28")) {
            sendProfile(java.time.LocalDate.parse(day));
        }
        harness.processElement(CardMessage.profile(TestData.TOKEN, "{\"v\":1}".getBytes()), 0); // refused, ignored
        send(TestData.auth("a1", 0, 1_000));                // 2024-03-01: may use 02-28 at the latest
        send(TestData.auth("a2", 86_400_000L, 1_000));      // 2024-03-02: may use 02-29
        send(TestData.auth("a3", -4 * 86_400_000L, 1_000)); // 2024-02-26, late: only 02-25 qualified, but it was dropped
        List<Decision> d = decisions();
        assertEquals("2024-02-28", d.get(0).profileAsOf());
        assertEquals("2024-02-29", d.get(1).profileAsOf());
        assertNull(d.get(2).profileAsOf(), "the oldest of four versions was dropped");
        assertEquals(1, stateEntries());
    }

    private void sendMerchantProfile(String asOf, double compromise) throws Exception {
        dev.vigil.core.event.MerchantProfile m = new dev.vigil.core.event.MerchantProfile("merchant-1",
                java.time.LocalDate.parse(asOf), 1_000, 300, 40.0, 0.01, compromise, 2);
        harness.processBroadcastElement(BroadcastUpdate.merchantProfile(
                dev.vigil.core.json.MerchantProfileCodec.INSTANCE.encode(m)), 0);
    }

    @Test
    void merchantProfilesReachTheFeaturesByTheSameLagRule() throws Exception {
        ScoringSettings logging = ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust()).withFeatureLogging();
        harness.close();
        harness = newHarness(logging);
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        sendMerchantProfile("2024-02-27", 0.1);
        sendMerchantProfile("2024-02-29", 0.9); // too new for an authorization on 2024-03-01
        harness.processBroadcastElement(BroadcastUpdate.merchantProfile("{}".getBytes()), 0); // refused, ignored
        send(TestData.auth("a1", 0, 1_000));
        send(TestData.auth("a2", 86_400_000L, 1_000));
        List<float[]> vectors = harness.getSideOutput(ScoringFunction.FEATURES).stream().map(r -> {
            String[] cols = new String(r.getValue().value, java.nio.charset.StandardCharsets.US_ASCII).split(",");
            float[] v = new float[cols.length - 2];
            for (int i = 2; i < cols.length; i++) {
                v[i - 2] = Float.parseFloat(cols[i]);
            }
            return v;
        }).toList();
        int compromise = dev.vigil.core.feature.Feature.MERCHANT_COMPROMISE.ordinal();
        assertEquals(0.1f, vectors.get(0)[compromise], "on 03-01 the newest usable merchant profile is 02-27");
        assertEquals(0.9f, vectors.get(1)[compromise], "on 03-02 it is 02-29");
    }

    @Test
    void aWatchedCardIsReviewedUntilTheWatchEnds() throws Exception {
        harness.processElement(CardMessage.watch(new CardWatch(TestData.TOKEN, "CARD_TESTING", TestData.T0 + 10 * MIN, "m-1", -1)), 0);
        send(TestData.auth("a1", MIN, 1_000));
        send(TestData.auth("a2", 11 * MIN, 1_000));
        List<Decision> d = decisions();
        assertEquals(Action.REVIEW, d.get(0).action());
        assertTrue(d.get(0).reasons().contains("WATCH:CARD_TESTING"));
        assertEquals(Action.APPROVE, d.get(1).action());
    }

    /**
     * The detections job's watch reaches the card through a topic and can overtake the
     * authorizations it was matched on (a backlog, a restore): those stay unwatched, the card's
     * later ones are watched.
     */
    @Test
    void aWatchCoversOnlyTheAuthorizationsAfterItsMatchEvenWhenItArrivesFirst() throws Exception {
        harness.processElement(CardMessage.watch(new CardWatch(TestData.TOKEN, "CARD_TESTING", TestData.T0 + 10 * MIN, "matched-on", 5)), 0);
        send(withSeq(TestData.auth("matched-on", MIN, 1_000), 5));
        send(withSeq(TestData.auth("after", 2 * MIN, 1_000), 6));
        List<Decision> d = decisions();
        assertEquals(Action.APPROVE, d.get(0).action(), d.get(0).reasons().toString());
        assertTrue(d.get(0).reasons().stream().noneMatch(r -> r.startsWith("WATCH:")), "the match's own authorization");
        assertEquals(Action.REVIEW, d.get(1).action());
        assertTrue(d.get(1).reasons().contains("WATCH:CARD_TESTING"));
    }

    private static Authorization withSeq(Authorization a, long seq) {
        return new Authorization(a.authorizationId(), a.cardToken(), a.tokenKeyId(), a.bin(), a.last4(), a.panLength(),
                a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(),
                a.merchantCountry(), a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(), a.entryMode(),
                a.hostDecline(), a.eventTimeMs(), seq, null, null);
    }

    @Test
    void aVelocityBurstRaisesOneAlertAndPutsTheCardOnWatch() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(TestData.auth("v" + i, i * 20_000L, 1_500));
        }
        List<Alert> bursts = alerts().stream().filter(a -> a.kind().equals("VELOCITY_BURST")).toList();
        assertEquals(1, bursts.size(), "raised once, when the count reaches the threshold");
        assertEquals("v7", bursts.get(0).authorization().authorizationId());
        assertEquals(List.of("VELOCITY_BURST", "WATCH_REVIEW", "WATCH_REVIEW"), alerts().stream().map(Alert::kind).toList(),
                "the watch reviews the card's next authorizations, each with its alert");
        Decision last = decisions().get(9);
        assertTrue(last.reasons().contains("WATCH:VELOCITY_BURST"), last.reasons().toString());
    }

    @Test
    void beforeAlertsFromTheCardIsDecidedAndWatchedButRaisesNoAlert() throws Exception {
        harness.close();
        harness = newHarness(ScoringSettings.defaults(TestModels.LINE, dev.vigil.core.model.ModelSigning.developmentTrust()).withAlertsFrom(TestData.T0 + 150_000L));
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        // The burst (8th authorization, at 140 s) is before the cut: it puts the card on watch, silently.
        for (int i = 0; i < 10; i++) {
            send(TestData.auth("v" + i, i * 20_000L, 1_500));
        }
        assertEquals(10, decisions().size(), "every authorization is decided");
        assertEquals(Action.REVIEW, decisions().get(8).action(), "on watch after the silent burst");
        assertEquals(List.of("v8", "v9"), alerts().stream().map(a -> a.authorization().authorizationId()).toList(),
                "only the watched authorizations from the cut on are alerted");
        assertEquals(List.of("WATCH_REVIEW", "WATCH_REVIEW"), alerts().stream().map(Alert::kind).toList());
    }

    @Test
    void lateAuthorizationsAreRoutedAsideAndStillDecided() throws Exception {
        send(TestData.auth("a1", 60 * MIN, 1_000));
        harness.processWatermark(TestData.T0 + 60 * MIN);
        send(TestData.auth("old", 0, 1_000));
        assertEquals(2, decisions().size());
        assertEquals(1, harness.getSideOutput(ScoringFunction.LATE).size());
    }

    @Test
    void stateAndTimersReturnToZeroWhenTheCardExpires() throws Exception {
        send(TestData.auth("a1", 0, 1_000));
        send(TestData.auth("a2", MIN, 1_000));
        harness.processElement(CardMessage.watch(new CardWatch(TestData.TOKEN, "X", TestData.T0 + 2 * MIN, "m-1", -1)), 0);
        assertEquals(1, stateEntries(), "one record per card holds state, profiles, watch and timer");
        assertEquals(1, harness.numEventTimeTimers(), "one timer per card, however many authorizations");

        harness.processWatermark(TestData.T0 + CardFold.EXPIRY_MS - MIN);
        assertTrue(stateEntries() > 0, "not expired yet");

        harness.processWatermark(TestData.T0 + MIN + CardFold.EXPIRY_MS + 86_400_000L);
        assertEquals(0, stateEntries(), "every state entry of the card is gone");
        assertEquals(0, harness.numEventTimeTimers());
        assertEquals(0, harness.numProcessingTimeTimers());
    }
}
