package dev.vigil.batchtraining.streaming;

import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a Spark scorer keeps per card: core's card state and the card's watch (the rule that put it
 * on watch and until when), so that its decisions apply core's {@code DecisionRules} as the Flink job
 * does. One value in Spark's state: a watch byte, the watch, then the card state's own encoding.
 */
final class ScorerCardState {
    final CardState card;
    String watchPattern;
    long watchUntilMs;

    ScorerCardState(CardState card) {
        this.card = card;
    }

    /** Back to a card no authorization has touched (the real-time scorer's, for each record). */
    void clear() {
        card.clear();
        watchPattern = null;
        watchUntilMs = 0;
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeBoolean(watchPattern != null);
            if (watchPattern != null) {
                out.writeUTF(watchPattern);
                out.writeLong(watchUntilMs);
            }
            CardStateCodec.write(card, out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScorerCardState decode(byte[] value) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
            String pattern = null;
            long until = 0;
            if (in.readBoolean()) {
                pattern = in.readUTF();
                until = in.readLong();
            }
            ScorerCardState s = new ScorerCardState(CardStateCodec.read(in));
            s.watchPattern = pattern;
            s.watchUntilMs = until;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
