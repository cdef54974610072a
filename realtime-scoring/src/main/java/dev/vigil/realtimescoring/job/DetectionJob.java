package dev.vigil.realtimescoring.job;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.realtimescoring.io.RawRecord;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.patterns.PatternAlerts;
import dev.vigil.realtimescoring.patterns.Patterns;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * The detections: a job of their own, beside the scoring job, joined to it only by topics.
 * <pre>
 *   authorizations ─▶ parse ─┬─▶ CEP card testing ──────▶ alerts, card-watches
 *   (own consumer group)     └─▶ CEP impossible travel ─▶ alerts, card-watches
 * </pre>
 * Why a job of its own (docs/decisions/0027): FlinkCEP's NFA writes, reads and deletes map-state
 * entries for every event, and on RocksDB each of its key iterations seeks over the tombstones
 * that leaves (a quarter to a third of the whole job's CPU with the patterns on). A state backend
 * is chosen per job, so the detections run on the heap while the cards' scoring state stays on
 * RocksDB. A slow detection also cannot hold back a decision: the two jobs share no operator.
 * <p>The operators keep the uids they had inside the scoring job, so the detections can be started
 * from a savepoint of the former single job (with non-restored state allowed).
 */
public final class DetectionJob {
    private DetectionJob() {
    }

    /**
     * @param authorizations the authorizations, read by a consumer group of the detections' own
     * @param alerts         where the patterns' alerts go (the analysts' alerts topic)
     * @param watches        where the watches on matched cards go ({@code card-watches})
     * @param slack          event-time slack: how long a match may wait for stragglers; later
     *                       authorizations are not seen by the patterns (they still get decisions)
     * @param watchMs        how long a watch lasts after the match's last authorization (event time)
     * @param alertsFromMs   matches completed before this event time put the card on watch, alert nothing
     * @param cardKeyId      the tokenization key whose token keys the scoring job's card state (null: the token of record)
     */
    public static void build(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> authorizations,
                             Sink<TopicRecord> alerts, Sink<TopicRecord> watches, Duration slack,
                             long watchMs, long alertsFromMs, String cardKeyId) {
        DataStream<Authorization> parsed = env
                .fromSource(authorizations, ScoringJob.eventTime(slack, Duration.ofSeconds(10)),
                        "authorizations for detections")
                .uid("source-detection-authorizations")
                .flatMap((RawRecord raw, Collector<Authorization> out) -> {
                    // Bad records are reported once, by the scoring job's parse; here they are skipped.
                    var d = AuthorizationCodec.INSTANCE.decode(raw.value);
                    if (d.isOk()) {
                        out.collect(d.value());
                    }
                }, TypeInformation.of(Authorization.class))
                .uid("detection-parse").name("parse for detections");

        KeySelector<Authorization, String> card = a -> a.tokenUnder(cardKeyId);
        SingleOutputStreamOperator<TopicRecord> cardTesting = CEP
                .pattern(parsed.keyBy(card, Types.STRING), Patterns.cardTesting())
                .inEventTime()
                .process(new PatternAlerts(Patterns.CARD_TESTING, watchMs, alertsFromMs, cardKeyId),
                        TypeInformation.of(TopicRecord.class))
                .uid("cep-card-testing").name("CEP card testing");
        SingleOutputStreamOperator<TopicRecord> travel = CEP
                .pattern(parsed.filter(Patterns::placed).uid("card-present").name("card present, placed")
                        .keyBy(card, Types.STRING), Patterns.impossibleTravel())
                .inEventTime()
                .process(new PatternAlerts(Patterns.IMPOSSIBLE_TRAVEL, watchMs, alertsFromMs, cardKeyId),
                        TypeInformation.of(TopicRecord.class))
                .uid("cep-impossible-travel").name("CEP impossible travel");

        cardTesting.getSideOutput(PatternAlerts.ALERTS).union(travel.getSideOutput(PatternAlerts.ALERTS))
                .sinkTo(alerts).uid("sink-pattern-alerts").name("pattern alerts");
        cardTesting.union(travel).sinkTo(watches).uid("sink-card-watches").name("card watches");
    }
}
