package dev.vigil.realtimescoring.decide;

import dev.vigil.core.feature.CardStateCodec;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * {@link CardRecord} in RocksDB: a format byte, core's card state (its own versioned format, the
 * one the byte budget is measured on), then the operator's fields.
 */
public final class CardRecordSerializer extends TypeSerializerSingleton<CardRecord> {
    public static final CardRecordSerializer INSTANCE = new CardRecordSerializer();
    /** 2 adds the watch's first card sequence number; 1 (before it) still reads, as covering every authorization. */
    private static final int FORMAT = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CardRecord createInstance() {
        return new CardRecord();
    }

    @Override
    public CardRecord copy(CardRecord from) {
        CardRecord r = new CardRecord();
        r.card = from.card.copy();
        r.profiles = from.profiles.clone();
        r.profileAsOfDays = from.profileAsOfDays.clone();
        r.watchPattern = from.watchPattern;
        r.watchUntilMs = from.watchUntilMs;
        r.watchAfterSeq = from.watchAfterSeq;
        r.expiryTimerMs = from.expiryTimerMs;
        return r;
    }

    @Override
    public CardRecord copy(CardRecord from, CardRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CardRecord r, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        CardStateCodec.write(r.card, out);
        out.writeByte(r.profiles.length);
        for (int i = 0; i < r.profiles.length; i++) {
            out.writeLong(r.profileAsOfDays[i]);
            out.writeInt(r.profiles[i].length);
            out.write(r.profiles[i]);
        }
        out.writeBoolean(r.watchPattern != null);
        if (r.watchPattern != null) {
            out.writeUTF(r.watchPattern);
            out.writeLong(r.watchUntilMs);
            out.writeLong(r.watchAfterSeq);
        }
        out.writeLong(r.expiryTimerMs);
    }

    @Override
    public CardRecord deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT && format != 1) {
            throw new IOException("unknown card record format " + format);
        }
        CardRecord r = new CardRecord();
        r.card = CardStateCodec.read(in);
        r.profiles = new byte[in.readUnsignedByte()][];
        r.profileAsOfDays = new long[r.profiles.length];
        for (int i = 0; i < r.profiles.length; i++) {
            r.profileAsOfDays[i] = in.readLong();
            r.profiles[i] = new byte[in.readInt()];
            in.readFully(r.profiles[i]);
        }
        if (in.readBoolean()) {
            r.watchPattern = in.readUTF();
            r.watchUntilMs = in.readLong();
            r.watchAfterSeq = format >= 2 ? in.readLong() : Long.MIN_VALUE;
        }
        r.expiryTimerMs = in.readLong();
        return r;
    }

    @Override
    public CardRecord deserialize(CardRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CardRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The format's version lives in the bytes; the snapshot only names the class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CardRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
