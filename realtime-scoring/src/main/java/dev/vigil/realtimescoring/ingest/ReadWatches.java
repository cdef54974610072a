package dev.vigil.realtimescoring.ingest;

import dev.vigil.core.event.CardWatch;
import dev.vigil.core.json.CardWatchCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.realtimescoring.decide.CardMessage;
import dev.vigil.realtimescoring.io.RawRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the detections job's watches from {@code card-watches} into messages for the card's scoring
 * state. Only the detections job's Kafka user may write that topic (the ACLs), so a record core's codec
 * refuses is a bug or a tampering: it is counted ({@code refusedWatches}) and logged with where it
 * lies and why, never with its bytes, and the card is not put on watch.
 */
public class ReadWatches extends RichFlatMapFunction<RawRecord, CardMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(ReadWatches.class);
    private transient Counter refused;

    @Override
    public void open(OpenContext context) {
        refused = getRuntimeContext().getMetricGroup().counter("refusedWatches");
    }

    @Override
    public void flatMap(RawRecord raw, Collector<CardMessage> out) {
        Decoded<CardWatch> d = CardWatchCodec.INSTANCE.decode(raw.value);
        if (!d.isOk()) {
            refused.inc();
            LOG.warn("Refused the watch at {}/{}@{}: {}", raw.topic, raw.partition, raw.offset, d.reason());
            return;
        }
        out.collect(CardMessage.watch(d.value()));
    }
}
