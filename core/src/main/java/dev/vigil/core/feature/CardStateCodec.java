package dev.vigil.core.feature;

import dev.vigil.core.event.Channel;
import dev.vigil.core.event.RecentAuthorization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The binary form of a {@link CardState}: what Flink keeps in RocksDB and what the byte budget is
 * measured on. Versioned by its first byte; an unknown version is refused.
 */
public final class CardStateCodec {
    /**
     * Format 2 added 7-day buckets and large-amount counts for features that did not help on
     * held-out weeks and were dropped; the writer went back to format 1, so a job can still be
     * rolled back, and format 2 is still read (see {@link #read}).
     */
    public static final int FORMAT = 1;
    private static final int FORMAT_WITH_AMOUNT_HABITS = 2;
    /** The most a card's state may take, encoded. Tested against worst-case cards. */
    public static final int BYTE_BUDGET = 3 * 1024;

    private CardStateCodec() {
    }

    public static byte[] encode(CardState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(s, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static CardState decode(byte[] bytes) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a card state: " + e.getMessage(), e);
        }
    }

    public static void write(CardState s, DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(s.firstEventMs);
        out.writeLong(s.lastEventMs);
        out.writeLong(s.authCount);
        out.writeLong(s.lastSeq);
        for (long id : s.seenIds) {
            out.writeLong(id);
        }
        out.writeByte(s.seenNext);
        for (int i = 0; i < CardState.SLOTS; i++) {
            // Bucket ids are stored relative to the slot's horizon; empty slots as -1.
            out.writeInt(s.bucketId[i] == Long.MIN_VALUE ? -1 : (int) s.bucketId[i]);
            out.writeShort(Math.min(s.bucketCount[i], 0xFFFF));
            out.writeFloat(s.bucketSum[i]);
            out.writeShort(Math.min(s.bucketSmall[i], 0xFFFF));
            out.writeShort(Math.min(s.bucketDeclines[i], 0xFFFF));
        }
        out.writeDouble(s.amountWeight);
        out.writeDouble(s.amountMean);
        out.writeDouble(s.amountM2);
        out.writeLong(s.amountTimeMs);
        for (int h : s.hourCounts) {
            out.writeShort(h);
        }
        writeInts(out, s.merchantHash);
        writeInts(out, s.merchantSeenMin);
        writeInts(out, s.countryCode);
        writeInts(out, s.countrySeenMin);
        writeInts(out, s.mccCode);
        writeInts(out, s.mccSeenMin);
        out.writeFloat(s.lastPresentLat);
        out.writeFloat(s.lastPresentLon);
        out.writeLong(s.lastPresentMs);
        out.writeByte(s.recentNext);
        for (RecentAuthorization r : s.recent) {
            out.writeBoolean(r != null);
            if (r != null) {
                out.writeUTF(r.authorizationId());
                out.writeLong(r.eventTimeMs());
                out.writeLong(r.billingAmountMinor());
                out.writeUTF(r.billingCurrency());
                out.writeUTF(r.merchantId());
                writeOpt(out, r.mcc());
                writeOpt(out, r.merchantCountry());
                out.writeByte(r.channel().ordinal());
                writeOpt(out, r.hostDecline());
            }
        }
    }

    public static CardState read(DataInput in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT && format != FORMAT_WITH_AMOUNT_HABITS) {
            throw new IOException("unknown card state format " + format);
        }
        // Format-2 state keeps every feature that is still computed: its four horizons read as
        // they were; the large-amount counts and the 7-day slots after them are skipped.
        boolean amountHabits = format == FORMAT_WITH_AMOUNT_HABITS;
        int slots = amountHabits ? CardState.SLOTS_FORMAT_2 : CardState.SLOTS;
        CardState s = new CardState();
        s.firstEventMs = in.readLong();
        s.lastEventMs = in.readLong();
        s.authCount = in.readLong();
        s.lastSeq = in.readLong();
        for (int i = 0; i < CardState.SEEN_IDS; i++) {
            s.seenIds[i] = in.readLong();
        }
        s.seenNext = in.readUnsignedByte();
        for (int i = 0; i < slots; i++) {
            int id = in.readInt();
            int count = in.readUnsignedShort();
            float sum = in.readFloat();
            int small = in.readUnsignedShort();
            int declines = in.readUnsignedShort();
            if (amountHabits) {
                in.readUnsignedShort();
            }
            if (i < CardState.SLOTS) {
                s.bucketId[i] = id == -1 ? Long.MIN_VALUE : id;
                s.bucketCount[i] = count;
                s.bucketSum[i] = sum;
                s.bucketSmall[i] = small;
                s.bucketDeclines[i] = declines;
            }
        }
        s.amountWeight = in.readDouble();
        s.amountMean = in.readDouble();
        s.amountM2 = in.readDouble();
        s.amountTimeMs = in.readLong();
        for (int h = 0; h < 24; h++) {
            s.hourCounts[h] = in.readUnsignedShort();
        }
        readInts(in, s.merchantHash);
        readInts(in, s.merchantSeenMin);
        readInts(in, s.countryCode);
        readInts(in, s.countrySeenMin);
        readInts(in, s.mccCode);
        readInts(in, s.mccSeenMin);
        s.lastPresentLat = in.readFloat();
        s.lastPresentLon = in.readFloat();
        s.lastPresentMs = in.readLong();
        s.recentNext = in.readUnsignedByte();
        Channel[] channels = Channel.values();
        for (int i = 0; i < CardState.RECENT; i++) {
            if (in.readBoolean()) {
                s.recent[i] = new RecentAuthorization(in.readUTF(), in.readLong(), in.readLong(), in.readUTF(),
                        in.readUTF(), readOpt(in), readOpt(in), channels[in.readUnsignedByte()], readOpt(in));
            }
        }
        return s;
    }

    private static void writeInts(DataOutput out, int[] values) throws IOException {
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void readInts(DataInput in, int[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
    }

    private static void writeOpt(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readOpt(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
