package dev.vigil.realtimescoring.ingest;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.token.PanMasking;
import dev.vigil.realtimescoring.decide.CardMessage;
import dev.vigil.realtimescoring.io.TopicRecord;
import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The first thing every record meets: core's codec. A valid authorization goes on to its card; a
 * rejected one goes to the dead-letter output with the reason, its source coordinates as key,
 * and its bytes with every run of 12+ digits masked. Nothing is dropped, nothing throws.
 */
public class ParseAuthorizations extends ProcessFunction<RawRecord, CardMessage> {
    public static final OutputTag<TopicRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(TopicRecord.class));

    private final String cardKeyId;
    private transient Counter rejected;
    private transient Counter offKey;

    /** Keys each card by its token of record. */
    public ParseAuthorizations() {
        this(null);
    }

    /** Keys each card by its token under {@code cardKeyId} (see {@code ScoringSettings#cardKeyId}). */
    public ParseAuthorizations(String cardKeyId) {
        this.cardKeyId = cardKeyId;
    }

    @Override
    public void open(OpenContext context) {
        rejected = getRuntimeContext().getMetricGroup().counter("authorizationsRejected");
        // Keyed by a rotation's new key, a record with no token under it (an edge replica never given
        // the next key, a typo in --card-key-id) is keyed by its token of record: its card goes cold.
        offKey = getRuntimeContext().getMetricGroup().counter("authorizationsWithoutCardKeyToken");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<CardMessage> out) {
        Decoded<Authorization> decoded = AuthorizationCodec.INSTANCE.decode(raw.value);
        if (decoded.isOk()) {
            Authorization a = decoded.value();
            if (cardKeyId != null && offKey != null && !cardKeyId.equals(a.tokenKeyId())
                    && !cardKeyId.equals(a.nextTokenKeyId())) {
                offKey.inc();
            }
            out.collect(CardMessage.of(a, a.tokenUnder(cardKeyId), raw.receivedAtMicros));
            return;
        }
        if (rejected != null) {
            rejected.inc();
        }
        byte[] kept = raw.value == null ? new byte[0] : PanMasking.mask(raw.value);
        ctx.output(DEAD_LETTERS, new TopicRecord(raw.topic + "/" + raw.partition + "/" + raw.offset, kept, decoded.reason()));
    }
}
