package dev.vigil.realtimescoring.job;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.CardProfileCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.realtimescoring.decide.CardMessage;
import dev.vigil.realtimescoring.decide.BroadcastUpdate;
import dev.vigil.realtimescoring.decide.ScoringFunction;
import dev.vigil.realtimescoring.decide.ScoringSettings;
import dev.vigil.realtimescoring.ingest.ParseAuthorizations;
import dev.vigil.realtimescoring.ingest.ReadWatches;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * The topology, built from sources and sinks given as arguments (Kafka in production, whatever a
 * test injects). Every operator has a stable uid, so savepoints survive upgrades.
 * <pre>
 *   authorizations ─▶ parse ─▶ keyBy(card) ─▶ score (+ profiles, + watches) ─▶ decisions
 *                       bad ─▶ dead letters                               └─▶ alerts, late, model refusals
 *   card-profiles, card-watches ─▶ keyBy(card) ─▶ score
 *   model-updates, merchant-profiles, labels ─▶ broadcast ─▶ score
 * </pre>
 * The FlinkCEP detections are a job of their own ({@link DetectionJob}) on heap state; their
 * watches arrive on {@code card-watches}.
 */
public final class ScoringJob {
    /** The scoring operator's uid: its keyed card state lives under it in every savepoint. */
    public static final String SCORE_UID = "score";
    /**
     * Key groups of the card state, pinned: a savepoint restores only into the same number, and a
     * bootstrapped savepoint must say it. 128 is what Flink chose unpinned for parallelism up to 85,
     * so savepoints taken before the pin still restore.
     */
    public static final int CARD_KEY_GROUPS = 128;

    /**
     * Where records come from. {@code watches} is the {@code card-watches} topic the detections job
     * ({@link DetectionJob}) writes, or null when the patterns are off; {@code labels} may be null
     * (every merchant's live risk then stays empty).
     */
    public record Sources(Source<RawRecord, ?, ?> authorizations, Source<RawRecord, ?, ?> watches,
                          Source<RawRecord, ?, ?> cardProfiles, Source<RawRecord, ?, ?> merchantProfiles,
                          Source<RawRecord, ?, ?> modelUpdates, Source<RawRecord, ?, ?> labels) {
        /** Without labels. */
        public Sources(Source<RawRecord, ?, ?> authorizations, Source<RawRecord, ?, ?> watches,
                       Source<RawRecord, ?, ?> cardProfiles, Source<RawRecord, ?, ?> merchantProfiles,
                       Source<RawRecord, ?, ?> modelUpdates) {
            this(authorizations, watches, cardProfiles, merchantProfiles, modelUpdates, null);
        }
    }

    /**
     * Where records go. {@code modelRefusals} receives every model update the job refused, with the
     * reason (the operators' alert that a published model is not serving); {@code features} may be
     * null (feature logging off), as may {@code modelRefusals} in tests that do not look at them.
     */
    public record Sinks(Sink<TopicRecord> decisions, Sink<TopicRecord> alerts, Sink<TopicRecord> deadLetters, Sink<TopicRecord> late,
                        Sink<TopicRecord> modelRefusals, Sink<TopicRecord> features) {
        public Sinks(Sink<TopicRecord> decisions, Sink<TopicRecord> alerts, Sink<TopicRecord> deadLetters, Sink<TopicRecord> late) {
            this(decisions, alerts, deadLetters, late, null, null);
        }
    }

    /**
     * How long the rare inputs (watches, card and merchant profiles, models, labels) gather records
     * before their network buffers are sent, in ms. Each of those five inputs had an output flusher
     * waking every 5 ms (the decision path's timeout) with nothing to send: together about 4 % of the
     * job's CPU at 5,000/s (docs/decisions/0027). A profile or a label 100 ms later changes nothing.
     */
    static final long RARE_INPUT_BUFFER_TIMEOUT_MS = 100;

    private ScoringJob() {
    }

    /**
     * @param outOfOrderness event-time slack of the scoring operator's watermark (late routing, expiry)
     */
    public static void build(StreamExecutionEnvironment env, Sources sources, Sinks sinks, ScoringSettings settings,
                             Duration outOfOrderness) {
        TypeInformation<CardMessage> inputType = TypeInformation.of(CardMessage.class);

        SingleOutputStreamOperator<CardMessage> parsed = env
                .fromSource(sources.authorizations(), eventTime(outOfOrderness, Duration.ofSeconds(30)), "authorizations")
                .uid("source-authorizations")
                .process(new ParseAuthorizations(settings.cardKeyId())).uid("parse").name("parse + validate");
        parsed.getSideOutput(ParseAuthorizations.DEAD_LETTERS).sinkTo(sinks.deadLetters()).uid("sink-dlq").name("dead letters");

        DataStream<CardMessage> watches = null;
        if (sources.watches() != null) {
            // The detections job's watches (card-watches): not in event time, so they never hold back
            // the authorizations' watermark; a watch is folded into the card's state when it arrives.
            watches = env.fromSource(sources.watches(), outsideEventTime(), "card-watches").uid("source-card-watches")
                    .flatMap(new ReadWatches(), inputType).uid("card-watches").name("card watches")
                    .setBufferTimeout(RARE_INPUT_BUFFER_TIMEOUT_MS);
        }

        DataStream<CardMessage> cardProfiles = env
                .fromSource(sources.cardProfiles(), outsideEventTime(), "card-profiles").uid("source-card-profiles")
                .flatMap((RawRecord raw, org.apache.flink.util.Collector<CardMessage> out) -> {
                    Decoded<CardProfile> p = CardProfileCodec.INSTANCE.decode(raw.value);
                    if (p.isOk()) {
                        out.collect(CardMessage.profile(p.value().cardToken(), raw.value));
                    }
                }, inputType).uid("card-profiles").name("card profiles")
                .setBufferTimeout(RARE_INPUT_BUFFER_TIMEOUT_MS);

        DataStream<BroadcastUpdate> updates = env
                .fromSource(sources.modelUpdates(), outsideEventTime(), "model-updates").uid("source-model-updates")
                .map(raw -> BroadcastUpdate.modelUpdate(raw.value), TypeInformation.of(BroadcastUpdate.class)).uid("model-updates")
                .setBufferTimeout(RARE_INPUT_BUFFER_TIMEOUT_MS)
                .union(env.fromSource(sources.merchantProfiles(), outsideEventTime(), "merchant-profiles")
                        .uid("source-merchant-profiles")
                        .map(raw -> BroadcastUpdate.merchantProfile(raw.value), TypeInformation.of(BroadcastUpdate.class))
                        .uid("merchant-profiles").setBufferTimeout(RARE_INPUT_BUFFER_TIMEOUT_MS));
        if (sources.labels() != null) {
            // Labels are rare next to authorizations (about one per thousand): broadcasting them to every
            // subtask is cheap, and each merchant's risk is then local to every card's decision.
            updates = updates.union(env.fromSource(sources.labels(), outsideEventTime(), "labels")
                    .uid("source-labels")
                    .map(raw -> BroadcastUpdate.label(raw.value), TypeInformation.of(BroadcastUpdate.class))
                    .uid("labels").setBufferTimeout(RARE_INPUT_BUFFER_TIMEOUT_MS));
        }
        BroadcastStream<BroadcastUpdate> broadcastUpdates = updates
                .broadcast(ScoringFunction.MODELS, ScoringFunction.MERCHANTS, ScoringFunction.MERCHANT_RISK);

        DataStream<CardMessage> cardInputs = watches == null ? parsed.union(cardProfiles) : parsed.union(cardProfiles, watches);
        SingleOutputStreamOperator<TopicRecord> decisions = cardInputs
                .keyBy(CardMessage::cardToken)
                .connect(broadcastUpdates)
                .process(new ScoringFunction(settings), TypeInformation.of(TopicRecord.class))
                .uid(SCORE_UID).name("fold + features + XGBoost + policy")
                .setMaxParallelism(CARD_KEY_GROUPS);

        decisions.sinkTo(sinks.decisions()).uid("sink-decisions").name("decisions");
        DataStream<TopicRecord> alerts = decisions.getSideOutput(ScoringFunction.ALERTS);
        alerts.sinkTo(sinks.alerts()).uid("sink-alerts").name("alerts");
        decisions.getSideOutput(ScoringFunction.LATE).sinkTo(sinks.late()).uid("sink-late").name("late");
        if (sinks.modelRefusals() != null) {
            decisions.getSideOutput(ScoringFunction.MODEL_REFUSALS).sinkTo(sinks.modelRefusals())
                    .uid("sink-model-refusals").name("model refusals");
        }
        if (sinks.features() != null && settings.logFeatures()) {
            decisions.getSideOutput(ScoringFunction.FEATURES).sinkTo(sinks.features()).uid("sink-features").name("features");
        }
    }

    /**
     * Authorizations' event time, stamped at the source so that each Kafka partition has a watermark
     * of its own and the reader passes on the slowest. Stamped after parsing (as before), a reader
     * that took turns between partitions (a backlog after an outage, a drain) let the partition ahead
     * move the watermark, and the other's records counted as late: half of a 200,000-record drain
     * went to the late topic, and FlinkCEP drops late events (docs/decisions/0017).
     * <p>A record with no readable time (it goes to the dead letters) gets {@code Long.MIN_VALUE} and
     * is kept away from the generator: it neither moves the watermark nor counts as activity, so a
     * partition that carries only such records still turns idle instead of holding every watermark
     * at its start. A record whose time reads but whose rest is refused moves the watermark as a
     * valid one with that time would: its time is the producer's claim, like any other record's.
     * <p>Cost: the scan reads each record once more before the full decode, about 0.9 µs against the
     * decode's 3.4 µs, on both authorization sources. Decoding once in the sources' deserializer would
     * save it, at the price of carrying decoded records and their raw bytes (for the dead letters) together.
     */
    static WatermarkStrategy<RawRecord> eventTime(Duration slack, Duration idleAfter) {
        WatermarkStrategy<RawRecord> bounded = WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(slack)
                .withIdleness(idleAfter);
        return WatermarkStrategy.<RawRecord>forGenerator(ctx -> new TimedOnly(bounded.createWatermarkGenerator(ctx)))
                .withTimestampAssigner((raw, kafkaTimestamp) -> AuthorizationCodec.eventTimeMs(raw.value));
    }

    /** Passes on the records that have an event time; see {@link #eventTime}. */
    static final class TimedOnly implements WatermarkGenerator<RawRecord> {
        private final WatermarkGenerator<RawRecord> timed;

        TimedOnly(WatermarkGenerator<RawRecord> timed) {
            this.timed = timed;
        }

        @Override
        public void onEvent(RawRecord event, long timestamp, WatermarkOutput output) {
            if (timestamp != Long.MIN_VALUE) {
                timed.onEvent(event, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            timed.onPeriodicEmit(output);
        }
    }

    /**
     * Profiles and models carry no event time. Their inputs say so by holding the watermark at
     * the end of time, so they never hold back the authorizations' watermark downstream.
     */
    static WatermarkStrategy<RawRecord> outsideEventTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(RawRecord event, long timestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
