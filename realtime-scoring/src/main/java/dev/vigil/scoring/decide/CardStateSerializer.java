package dev.vigil.scoring.decide;

import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Card state in RocksDB in core's own versioned binary format, the one the byte budget is measured on. */
public final class CardStateSerializer extends TypeSerializerSingleton<CardState> {
    public static final CardStateSerializer INSTANCE = new CardStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CardState createInstance() {
        return new CardState();
    }

    @Override
    public CardState copy(CardState from) {
        return from.copy();
    }

    @Override
    public CardState copy(CardState from, CardState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CardState record, DataOutputView target) throws IOException {
        CardStateCodec.write(record, target);
    }

    @Override
    public CardState deserialize(DataInputView source) throws IOException {
        return CardStateCodec.read(source);
    }

    @Override
    public CardState deserialize(CardState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<CardState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version lives in the bytes (CardStateCodec.FORMAT); the snapshot only names the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CardState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
