package dev.vigil.core.feature;

import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One merchant's labelled authorizations, and the rule that turns them into the merchant-risk
 * features at any moment {@code t}. The Flink job keeps one per merchant in broadcast state and adds
 * each label as it arrives; training replays the same labels per merchant and reads the same way.
 *
 * <p>The counting rule, defined here only:
 * <ul>
 *   <li>A fraud counts from the moment its label is known: at {@code t}, only labels with
 *       {@code labelTime <= t}. No maturity wait: maturity only matters for the denominator of a rate,
 *       and these are counts (the nightly profile keeps the rate).</li>
 *   <li>An authorization's label at {@code t} is its chargeback when that is known by {@code t}, else
 *       the analyst's verdict when known by {@code t}: a chargeback overrides an analyst.</li>
 *   <li>Windows are over the fraud's event time, {@code (t - W, t)}, for W of 1, 7 and 30 days. Strictly
 *       before {@code t}: an authorization's own label can never be among its features, even one
 *       stamped with its own time.</li>
 *   <li>The first label per authorization and source counts; a re-sent one changes nothing (the lake
 *       keeps the first too, by label id).</li>
 * </ul>
 *
 * <p>Memory is bounded: an entry whose event time is more than {@link #KEEP_MS} before the merchant's
 * newest is dropped, and at most {@link #MAX_ENTRIES} are kept, newest by event time. Both only
 * depend on the set of labels, not the order they came in, so the job and a replay keep the same set.
 * They can differ from a replay only when labels arrive far ahead of the traffic (a backfill).
 */
public final class MerchantRisk {
    static final long DAY_MS = 86_400_000L;
    /** The longest window. */
    public static final long WINDOW_MS = 30 * DAY_MS;
    /** Entries are kept this long behind the merchant's newest labelled event. */
    public static final long KEEP_MS = 60 * DAY_MS;
    /** Cap per merchant: a merchant with more labelled authorizations in 60 days is plainly compromised. */
    public static final int MAX_ENTRIES = 256;
    static final int FORMAT = 1;
    private static final long NONE = Long.MAX_VALUE;

    // Parallel arrays, sorted by (event time, authorization hash): the oldest go first.
    private long[] auth = new long[4];
    private long[] card = new long[4];
    private long[] event = new long[4];
    private long[] chargebackAt = new long[4];
    private long[] analystAt = new long[4];
    /** Bit 0: the chargeback says fraud; bit 1: the analyst says fraud. */
    private byte[] verdicts = new byte[4];
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Adds a label of this merchant's authorization.
     *
     * @return false when nothing changed: a re-sent label, or one too old to be kept
     */
    public boolean add(Label l) {
        long authHash = CardFold.idHash(l.authorizationId());
        int i = indexOf(authHash, l.eventTimeMs());
        if (i < 0) {
            i = insert(authHash, CardFold.idHash(l.cardToken()), l.eventTimeMs());
            if (i < 0) {
                return false;
            }
        }
        boolean chargeback = l.source() == LabelSource.CHARGEBACK;
        long[] at = chargeback ? chargebackAt : analystAt;
        if (at[i] != NONE) {
            return false;
        }
        at[i] = l.labelTimeMs();
        if (l.fraud()) {
            verdicts[i] |= (byte) (chargeback ? 1 : 2);
        }
        return true;
    }

    /** The features at {@code t}: what was known about this merchant's frauds by then. */
    public MerchantRiskReading read(long t) {
        int n1 = 0, n7 = 0, n30 = 0;
        long[] cards = new long[size];
        long[] ages = new long[size];
        int counted = 0;
        long lastFraud = Long.MIN_VALUE;
        long newestLabel = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            if (chargebackAt[i] <= t) {
                newestLabel = Math.max(newestLabel, chargebackAt[i]);
            }
            if (analystAt[i] <= t) {
                newestLabel = Math.max(newestLabel, analystAt[i]);
            }
            if (!fraudAt(i, t) || event[i] >= t) {
                continue;
            }
            lastFraud = Math.max(lastFraud, event[i]);
            long age = t - event[i];
            if (age >= WINDOW_MS) {
                continue;
            }
            n30++;
            n7 += age < 7 * DAY_MS ? 1 : 0;
            n1 += age < DAY_MS ? 1 : 0;
            cards[counted] = card[i];
            ages[counted++] = age;
        }
        return new MerchantRiskReading(n1, n7, n30, distinctCards(cards, ages, counted, DAY_MS),
                distinctCards(cards, ages, counted, 7 * DAY_MS), distinctCards(cards, ages, counted, WINDOW_MS),
                lastFraud == Long.MIN_VALUE ? Double.NaN : (t - lastFraud) / (double) DAY_MS,
                newestLabel == Long.MIN_VALUE ? 0 : newestLabel);
    }

    private boolean fraudAt(int i, long t) {
        if (chargebackAt[i] <= t) {
            return (verdicts[i] & 1) != 0;
        }
        return analystAt[i] <= t && (verdicts[i] & 2) != 0;
    }

    private static int distinctCards(long[] cards, long[] ages, int n, long window) {
        long[] within = new long[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (ages[i] < window) {
                within[m++] = cards[i];
            }
        }
        Arrays.sort(within, 0, m);
        int distinct = 0;
        for (int i = 0; i < m; i++) {
            distinct += i == 0 || within[i] != within[i - 1] ? 1 : 0;
        }
        return distinct;
    }

    private int indexOf(long authHash, long eventMs) {
        for (int i = 0; i < size; i++) {
            if (auth[i] == authHash && event[i] == eventMs) {
                return i;
            }
        }
        return -1;
    }

    /** Inserts in (event, auth) order, then drops what is too old or over the cap; -1 when the new entry was dropped. */
    private int insert(long authHash, long cardHash, long eventMs) {
        if (size == auth.length) {
            int n = size * 2;
            auth = Arrays.copyOf(auth, n);
            card = Arrays.copyOf(card, n);
            event = Arrays.copyOf(event, n);
            chargebackAt = Arrays.copyOf(chargebackAt, n);
            analystAt = Arrays.copyOf(analystAt, n);
            verdicts = Arrays.copyOf(verdicts, n);
        }
        int at = size;
        while (at > 0 && (event[at - 1] > eventMs || event[at - 1] == eventMs && auth[at - 1] > authHash)) {
            at--;
        }
        shift(at, at + 1, size - at);
        auth[at] = authHash;
        card[at] = cardHash;
        event[at] = eventMs;
        chargebackAt[at] = NONE;
        analystAt[at] = NONE;
        verdicts[at] = 0;
        size++;
        int drop = 0;
        long oldestKept = event[size - 1] - KEEP_MS;
        while (drop < size && (event[drop] < oldestKept || size - drop > MAX_ENTRIES)) {
            drop++;
        }
        if (drop > 0) {
            shift(drop, 0, size - drop);
            size -= drop;
        }
        return at - drop;
    }

    private void shift(int from, int to, int n) {
        System.arraycopy(auth, from, auth, to, n);
        System.arraycopy(card, from, card, to, n);
        System.arraycopy(event, from, event, to, n);
        System.arraycopy(chargebackAt, from, chargebackAt, to, n);
        System.arraycopy(analystAt, from, analystAt, to, n);
        System.arraycopy(verdicts, from, verdicts, to, n);
    }

    /** The binary form kept in the job's broadcast state; versioned by its first byte. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + size * 41);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(auth[i]);
                out.writeLong(card[i]);
                out.writeLong(event[i]);
                out.writeLong(chargebackAt[i]);
                out.writeLong(analystAt[i]);
                out.writeByte(verdicts[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static MerchantRisk decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown merchant-risk format " + format);
            }
            int n = in.readInt();
            if (n < 0 || n > MAX_ENTRIES) {
                throw new IllegalArgumentException("merchant risk with " + n + " entries");
            }
            MerchantRisk r = new MerchantRisk();
            int capacity = Math.max(4, n);
            r.auth = new long[capacity];
            r.card = new long[capacity];
            r.event = new long[capacity];
            r.chargebackAt = new long[capacity];
            r.analystAt = new long[capacity];
            r.verdicts = new byte[capacity];
            for (int i = 0; i < n; i++) {
                r.auth[i] = in.readLong();
                r.card[i] = in.readLong();
                r.event[i] = in.readLong();
                r.chargebackAt[i] = in.readLong();
                r.analystAt[i] = in.readLong();
                r.verdicts[i] = in.readByte();
            }
            r.size = n;
            return r;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a merchant risk: " + e.getMessage(), e);
        }
    }
}
