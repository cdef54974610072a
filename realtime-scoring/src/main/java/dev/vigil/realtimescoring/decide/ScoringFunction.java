package dev.vigil.realtimescoring.decide;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.MerchantProfile;
import dev.vigil.core.event.WallClock;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.feature.MerchantRisk;
import dev.vigil.core.feature.MerchantRiskReading;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.json.MerchantProfileCodec;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.ModelRejected;
import dev.vigil.core.model.DecisionRules;
import dev.vigil.core.model.ModelScorer;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.ServingModel;
import dev.vigil.realtimescoring.io.TopicRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides every authorization of a card, at once: fold it into the card's {@code ValueState}
 * (core's fold, RocksDB in production), score the features with the champion model, apply policy
 * (thresholds, watch, rules) and emit the decision. Nothing here waits for a watermark, a window or
 * a checkpoint; event time only routes late records and expires idle cards.
 *
 * <p>Trade-offs, written down here because they are not obvious:
 * <ul>
 *   <li>Card expiry is decided by the fold ({@link CardFold#EXPIRY_MS}); an event-time timer, rounded
 *       up to the next UTC midnight so that a card has at most one timer per day, clears the state.
 *       Flink's TTL (processing time, 30 days longer) is only a safety net for stalled watermarks.</li>
 *   <li>The model arrives on the broadcast side and is loaded (and verified) by the {@link ModelSlot}
 *       when its record is processed; the broadcast state keeps the record, so a restored job
 *       reloads it lazily. Profile versions are kept and chosen by {@link ProfileVersions}.</li>
 *   <li>Velocity bursts and decline-retry bursts are rules on the fold's own counters, raised when
 *       a count first reaches its threshold: deterministic, replayable, and free of extra state.</li>
 *   <li>Labels arrive on the broadcast side and update their merchant's {@link MerchantRisk} at once:
 *       a merchant's first chargebacks count within seconds. The state is held as core's bytes (what
 *       a checkpoint writes) and decoded once per subtask into a map that every decision reads.</li>
 * </ul>
 */
public class ScoringFunction extends KeyedBroadcastProcessFunction<String, CardMessage, BroadcastUpdate, TopicRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringFunction.class);
    private static final long DAY_MS = 86_400_000L;
    /** Decoded card profiles kept per subtask: a profile is parsed once, not on every authorization (JFR: ~8 % of the job). */
    private static final int PROFILE_CACHE = 20_000;

    public static final OutputTag<TopicRecord> ALERTS = new OutputTag<>("alerts", TypeInformation.of(TopicRecord.class));
    public static final OutputTag<TopicRecord> LATE = new OutputTag<>("late", TypeInformation.of(TopicRecord.class));
    public static final OutputTag<TopicRecord> FEATURES = new OutputTag<>("features", TypeInformation.of(TopicRecord.class));
    /** Model updates refused, with the reason: written by subtask 0 only, so each refusal is one record. */
    public static final OutputTag<TopicRecord> MODEL_REFUSALS = new OutputTag<>("model-refusals", TypeInformation.of(TopicRecord.class));
    public static final MapStateDescriptor<String, ModelUpdate> MODELS =
            new MapStateDescriptor<>("champion", Types.STRING, TypeInformation.of(ModelUpdate.class));
    public static final MapStateDescriptor<String, MerchantProfile[]> MERCHANTS =
            new MapStateDescriptor<>("merchant-profiles", Types.STRING, TypeInformation.of(MerchantProfile[].class));
    /** Each merchant's labelled authorizations, encoded by {@link MerchantRisk#encode}. */
    public static final MapStateDescriptor<String, byte[]> MERCHANT_RISK =
            new MapStateDescriptor<>("merchant-risk", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private final ScoringSettings settings;

    private transient ValueState<CardRecord> record;
    private transient ModelSlot model;
    private transient float[] vector;
    private transient ModelScorer scorer;
    private transient DecisionRules rules;
    private transient ProfileCache decodedProfiles;
    private transient Counter decisions;
    private transient Counter modelsRefused;
    private transient Counter late;
    private transient Counter labelsCounted;
    private transient Counter repeatsNotDecided;
    /** The broadcast merchant risk, decoded: filled as labels arrive, or lazily after a restore. */
    private transient Map<String, MerchantRisk> risks;
    private transient Histogram processingMicros;
    private transient boolean reportsRefusals;

    public ScoringFunction(ScoringSettings settings) {
        this.settings = settings;
    }

    /**
     * The one state per card (an authorization costs one read and one write of RocksDB). Public so
     * that the state bootstrap writes exactly this: same name, serializer and TTL.
     */
    public static ValueStateDescriptor<CardRecord> cardState() {
        ValueStateDescriptor<CardRecord> descriptor = new ValueStateDescriptor<>("card", CardRecordSerializer.INSTANCE);
        descriptor.enableTimeToLive(safetyNet());
        return descriptor;
    }

    /** The card's expiry timer: the UTC midnight after its state would expire, as {@link #scheduleExpiry} sets it. */
    public static long expiryTimerAt(long expiresAtMs) {
        return Math.floorDiv(expiresAtMs, DAY_MS) * DAY_MS + DAY_MS;
    }

    /** Card state outlives the fold's own expiry by 30 days before Flink's TTL may drop it. */
    static StateTtlConfig safetyNet() {
        return StateTtlConfig.newBuilder(Duration.ofMillis(CardFold.EXPIRY_MS).plusDays(30))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    @Override
    public void open(OpenContext context) {
        record = getRuntimeContext().getState(cardState());
        model = new ModelSlot(settings.modelLine(), settings.modelTrust(), new FlinkBlobStore());
        vector = FeatureSet.newVector();
        scorer = new ModelScorer();
        rules = settings.rules();
        decodedProfiles = new ProfileCache(PROFILE_CACHE);
        var metrics = getRuntimeContext().getMetricGroup();
        decisions = metrics.counter("decisions");
        modelsRefused = metrics.counter("modelsRefused");
        late = metrics.counter("lateAuthorizations");
        labelsCounted = metrics.counter("labelsCounted");
        repeatsNotDecided = metrics.counter("repeatsNotDecided");
        risks = new HashMap<>();
        processingMicros = metrics.histogram("decisionProcessingMicros", new DescriptiveStatisticsHistogram(10_000));
        metrics.gauge("modelVersion", () -> model.serving() == null ? "none" : model.serving().version());
        reportsRefusals = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processElement(CardMessage in, ReadOnlyContext ctx, Collector<TopicRecord> out) throws Exception {
        CardRecord rec = record.value();
        if (rec == null) {
            rec = new CardRecord();
        }
        if (in.authorization != null) {
            decide(rec, in.authorization, in.receivedAtMicros, ctx, out);
        } else if (in.cardProfileJson != null) {
            addCardProfile(rec, in.cardProfileJson, ctx);
        } else if (in.watch != null && (rec.watchPattern == null || rec.watchUntilMs < in.watch.untilMs())) {
            // A longer watch replaces the card's; it covers from the earlier of the two matches, so that
            // an authorization the old watch covered stays covered when it is read after the new one.
            rec.watchAfterSeq = rec.watchPattern == null ? in.watch.cardSeq() : Math.min(rec.watchAfterSeq, in.watch.cardSeq());
            rec.watchPattern = in.watch.pattern();
            rec.watchUntilMs = in.watch.untilMs();
        }
        record.update(rec);
    }

    private void decide(CardRecord rec, Authorization a, long receivedAtMicros, ReadOnlyContext ctx,
                        Collector<TopicRecord> out) throws Exception {
        CardState state = rec.card;
        if (CardFold.folded(state, a)) {
            // The card's state holds this authorization already: a resend, or a replay after a restore.
            // At-least-once checkpoints do not align barriers, so a snapshot can hold records past the
            // sources' offsets; their decisions went out before that snapshot, so they are on the topic.
            // Deciding again from a state that may hold the card's later authorizations would answer
            // differently. The fold remembers a card's last 32 ids: a card with more authorizations
            // than that between a barrier and the snapshot would still be folded and decided twice.
            repeatsNotDecided.inc();
            return;
        }
        ensureModel(ctx);
        byte[] cardProfileJson = ProfileVersions.chooseCard(rec, a.eventTimeMs(), settings.profileLagDays());
        CardProfile cardProfile = cardProfileJson == null ? null : decodedProfiles.get(cardProfileJson);
        MerchantProfile merchantProfile = ProfileVersions.chooseMerchant(ctx.getBroadcastState(MERCHANTS).get(a.merchantId()),
                a.eventTimeMs(), settings.profileLagDays());

        MerchantRisk risk = riskOf(a.merchantId(), ctx.getBroadcastState(MERCHANT_RISK));
        MerchantRiskReading riskReading = risk == null ? MerchantRiskReading.NONE : risk.read(a.eventTimeMs());

        CardFold.step(state, a, cardProfile, merchantProfile, riskReading, vector);
        scheduleExpiry(rec, state.expiresAtMs(), ctx);

        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && a.eventTimeMs() < watermark - settings.allowedLatenessMs()) {
            late.inc();
            ctx.output(LATE, TopicRecord.of(a.cardToken(), AuthorizationCodec.INSTANCE.encode(a)));
        }

        ServingModel serving = model.serving();
        ModelScorer.Outcome outcome = scorer.score(serving, vector);
        float score = outcome.score();
        // A detection's watch covers the card's authorizations after the match, not the ones it was matched on.
        boolean covered = rec.watchCovers(a.cardSeq());
        DecisionRules.Decided decided = rules.decide(outcome, a, vector, covered ? rec.watchPattern : null, rec.watchUntilMs);
        Action action = decided.action();
        List<String> reasons = decided.reasons();

        long nowMicros = WallClock.micros();
        Decision d = new Decision(a.authorizationId(), a.cardToken(), score, action, reasons,
                serving == null ? null : serving.version(), cardProfile == null ? null : cardProfile.asOf().toString(),
                state.authCount(), state.lastSeq(), a.eventTimeMs(), nowMicros / 1000,
                Math.max(0, nowMicros - receivedAtMicros), riskReading.labelsKnownAtMs());
        out.collect(TopicRecord.of(a.cardToken(), DecisionCodec.INSTANCE.encode(d)));
        decisions.inc();
        if (settings.logFeatures()) {
            ctx.output(FEATURES, TopicRecord.of(a.authorizationId(), FeatureLog.line(a.authorizationId(), score, vector)));
        }
        processingMicros.update(d.processingMicros());

        if (action != Action.APPROVE) {
            // One alert per REVIEW/DECLINE, named after what drove it: the model, or a watch.
            alert(decided.modelAction() != Action.APPROVE ? "MODEL_" + decided.modelAction().name() : "WATCH_REVIEW",
                    a, d, state, ctx);
        }
        for (String rule : decided.raised()) {
            alert(rule, a, d, state, ctx);
        }
        if (!decided.raised().isEmpty()) {
            rec.watchPattern = decided.watchPattern(); // a rule's watch, raised by this authorization: covers the later ones
            rec.watchUntilMs = decided.watchUntilMs();
            rec.watchAfterSeq = Long.MIN_VALUE;
        }
    }

    private void alert(String kind, Authorization a, Decision d, CardState state, ReadOnlyContext ctx) {
        if (!settings.alerts(a.eventTimeMs())) {
            return;
        }
        List<String> related = new ArrayList<>();
        state.recent().forEach(r -> related.add(r.authorizationId()));
        Alert alert = new Alert(Alert.idFor(a.authorizationId(), kind), kind, a.cardToken(), d.decidedAtMs(), a, d,
                related, state.recent());
        ctx.output(ALERTS, TopicRecord.of(a.cardToken(), AlertCodec.INSTANCE.encode(alert)));
    }

    private void addCardProfile(CardRecord rec, byte[] json, ReadOnlyContext ctx) {
        Decoded<CardProfile> decoded = CardProfileCodec.INSTANCE.decode(json);
        if (!decoded.isOk()) {
            LOG.warn("card profile refused: {}", decoded.reason());
            return;
        }
        ProfileVersions.addCard(rec, json, decoded.value().asOf().toEpochDay());
        scheduleExpiry(rec, lastActivity(rec) + CardFold.EXPIRY_MS, ctx);
    }

    /** The latest event time the card's record depends on: its last authorization or newest profile. */
    private static long lastActivity(CardRecord rec) {
        long last = rec.card.isEmpty() ? 0 : rec.card.lastEventMs();
        for (long day : rec.profileAsOfDays) {
            last = Math.max(last, day * DAY_MS);
        }
        return last;
    }

    @Override
    public void processBroadcastElement(BroadcastUpdate control, Context ctx, Collector<TopicRecord> out) throws Exception {
        if (control.modelUpdateJson != null) {
            Decoded<ModelUpdate> decoded = ModelUpdateCodec.INSTANCE.decode(control.modelUpdateJson);
            if (!decoded.isOk()) {
                refuse(k -> ctx.output(MODEL_REFUSALS, k), null, control.modelUpdateJson, "unreadable model update: " + decoded.reason());
                return;
            }
            ModelUpdate update = decoded.value();
            if (!model.serves(update)) {
                return;
            }
            try {
                model.offer(update);
                ctx.getBroadcastState(MODELS).put(update.line(), update);
                LOG.info("model {} of line {} now serving", update.version(), update.line());
            } catch (ModelRejected e) {
                refuse(k -> ctx.output(MODEL_REFUSALS, k), update.line(), control.modelUpdateJson, e.getMessage());
            }
        } else if (control.merchantProfileJson != null) {
            Decoded<MerchantProfile> decoded = MerchantProfileCodec.INSTANCE.decode(control.merchantProfileJson);
            if (!decoded.isOk()) {
                LOG.warn("merchant profile refused: {}", decoded.reason());
                return;
            }
            MerchantProfile p = decoded.value();
            BroadcastState<String, MerchantProfile[]> merchants = ctx.getBroadcastState(MERCHANTS);
            merchants.put(p.merchantId(), ProfileVersions.addMerchant(merchants.get(p.merchantId()), p));
        } else if (control.labelJson != null) {
            addLabel(control.labelJson, ctx.getBroadcastState(MERCHANT_RISK));
        }
    }

    /**
     * A label updates its merchant's risk. Labels are not this job's to validate (the lake lands
     * them, with a quarantine); one that does not decode, or carries no merchant, is skipped.
     */
    private void addLabel(byte[] json, BroadcastState<String, byte[]> state)
            throws Exception {
        Decoded<Label> decoded = LabelCodec.INSTANCE.decode(json);
        if (!decoded.isOk() || decoded.value().merchantId() == null) {
            return;
        }
        Label label = decoded.value();
        MerchantRisk risk = riskOf(label.merchantId(), state);
        if (risk == null) {
            risk = new MerchantRisk();
        }
        if (risk.add(label)) {
            labelsCounted.inc();
            risks.put(label.merchantId(), risk);
            state.put(label.merchantId(), risk.encode());
        }
    }

    private MerchantRisk riskOf(String merchantId, ReadOnlyBroadcastState<String, byte[]> state) throws Exception {
        MerchantRisk risk = risks.get(merchantId);
        if (risk == null) {
            byte[] bytes = state.get(merchantId);
            if (bytes != null) {
                risk = MerchantRisk.decode(bytes);
                risks.put(merchantId, risk);
            }
        }
        return risk;
    }

    /**
     * A refused model: counted, logged, and one record with the reason on the refusals output (the
     * operators' alert). Whatever served before keeps serving; the refused version never reaches a decision.
     */
    private void refuse(java.util.function.Consumer<TopicRecord> refusals, String line, byte[] updateJson, String reason) {
        modelsRefused.inc();
        LOG.warn("model update refused, {} keeps serving: {}", model.serving() == null ? "no model" : model.serving().version(), reason);
        if (reportsRefusals) {
            refusals.accept(new TopicRecord(line, updateJson, reason));
        }
    }

    /** After a restore, the champion record is in broadcast state but the model is not loaded yet. */
    private void ensureModel(ReadOnlyContext ctx) throws Exception {
        ModelUpdate champion = ctx.getBroadcastState(MODELS).get(settings.modelLine());
        String refused = model.catchUp(champion);
        if (refused != null) {
            refuse(k -> ctx.output(MODEL_REFUSALS, k), champion.line(), ModelUpdateCodec.INSTANCE.encode(champion), refused);
        }
    }

    /** One event-time timer per card, at the UTC midnight after its expiry. */
    private static void scheduleExpiry(CardRecord rec, long expiresAtMs, ReadOnlyContext ctx) {
        long at = expiryTimerAt(expiresAtMs);
        if (rec.expiryTimerMs != at) {
            if (rec.expiryTimerMs != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(rec.expiryTimerMs);
            }
            ctx.timerService().registerEventTimeTimer(at);
            rec.expiryTimerMs = at;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopicRecord> out) throws Exception {
        CardRecord rec = record.value();
        if (rec == null) {
            return;
        }
        rec.expiryTimerMs = Long.MIN_VALUE;
        long last = lastActivity(rec);
        if (last + CardFold.EXPIRY_MS <= timestamp) {
            record.clear();
        } else {
            scheduleExpiry(rec, last + CardFold.EXPIRY_MS, ctx);
            record.update(rec);
        }
    }
}
