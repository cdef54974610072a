package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run is judged on, from what went in and what came out, independent of how they were
 * read. Fed the authorizations in the order the job folds them (each card's in its partition's
 * order) and every decision record in any order, it answers:
 * <ul>
 *   <li>missing: authorizations without a decision;</li>
 *   <li>duplicates, and how many of them differ from the first decision of the same authorization
 *       in anything but when it was made (at-least-once delivery may repeat a decision after a
 *       restore; it must repeat it exactly);</li>
 *   <li>state mismatches: decisions whose card counters (authorizations folded, last sequence
 *       number) differ from a straight replay of core's fold over the card's authorizations — the
 *       check that a restore neither lost nor double-counted anything of a card;</li>
 *   <li>recovery after each fault: last decision before it, first decision after it.</li>
 * </ul>
 */
public final class Ledger {
    private final Map<String, long[]> expected = new HashMap<>();
    private final Map<String, CardState> replay = new HashMap<>();
    private final Map<String, Decision> first = new HashMap<>();
    private final List<String> examples = new ArrayList<>();
    private long[] decidedAt = new long[1024];
    private int decisions;
    private long duplicates;
    private long differing;
    private long mismatches;
    private long strangers;

    /**
     * An authorization the job folded before this run (an earlier scenario on the same broker): part
     * of the card's replay, not judged. Each run's world has a fresh seed, but two worlds can still
     * make the same PAN (a few BINs and nine random digits: two 20,000-card worlds share one now and then;
     * a full suite run; it happened once), and then the job rightly continues that card's state.
     */
    public void earlier(Authorization a) {
        CardFold.apply(replay.computeIfAbsent(a.cardToken(), t -> new CardState()), a);
    }

    /**
     * The next authorization in fold order: its expected counters come from replaying the fold. A
     * repeat the fold skips keeps the counters of the first: the job decides an id once, when it folds it.
     */
    public void authorization(Authorization a) {
        CardState s = replay.computeIfAbsent(a.cardToken(), t -> new CardState());
        if (CardFold.apply(s, a) || !expected.containsKey(a.authorizationId())) {
            expected.put(a.authorizationId(), new long[]{s.authCount(), s.lastSeq()});
        }
    }

    /**
     * A decision record read from the decisions topic; true when it is the first decision of one of
     * this run's authorizations.
     */
    public boolean decision(Decision d) {
        long[] counters = expected.get(d.authorizationId());
        if (counters == null) {
            strangers++; // another run's, or a probe's: not this run's business
            return false;
        }
        if (decisions == decidedAt.length) {
            decidedAt = java.util.Arrays.copyOf(decidedAt, decisions * 2);
        }
        decidedAt[decisions++] = d.decidedAtMs();
        Decision earlier = first.putIfAbsent(d.authorizationId(), d);
        if (earlier != null) {
            duplicates++;
            if (!sameDecision(earlier, d)) {
                differing++;
                example("duplicate differs: " + earlier + " vs " + d);
            }
            return false;
        }
        if (d.cardAuthCount() != counters[0] || d.cardLastSeq() != counters[1]) {
            mismatches++;
            example(String.format("%s: counters %d/%d, replay %d/%d", d.authorizationId(), d.cardAuthCount(),
                    d.cardLastSeq(), counters[0], counters[1]));
        }
        return true;
    }

    /** Equal in everything but when it was made and how long that took. */
    static boolean sameDecision(Decision a, Decision b) {
        return a.authorizationId().equals(b.authorizationId()) && a.cardToken().equals(b.cardToken())
                && Float.compare(a.score(), b.score()) == 0 && a.action() == b.action()
                && a.reasons().equals(b.reasons()) && java.util.Objects.equals(a.modelVersion(), b.modelVersion())
                && java.util.Objects.equals(a.profileAsOf(), b.profileAsOf())
                && a.cardAuthCount() == b.cardAuthCount() && a.cardLastSeq() == b.cardLastSeq()
                && a.eventTimeMs() == b.eventTimeMs();
    }

    private void example(String s) {
        if (examples.size() < 5) {
            examples.add(s);
        }
    }

    public long expected() {
        return expected.size();
    }

    public long decided() {
        return first.size();
    }

    public long missing() {
        return expected.size() - first.size();
    }

    public long duplicates() {
        return duplicates;
    }

    public long differingDuplicates() {
        return differing;
    }

    public long stateMismatches() {
        return mismatches;
    }

    public long strangers() {
        return strangers;
    }

    public List<String> examples() {
        return examples;
    }

    /** Decisions (first ones) by the model version they carry ("null": decided without a model). */
    public Map<String, Long> modelVersions() {
        return modelVersionsSince(Long.MIN_VALUE);
    }

    /** First decisions made at or after {@code fromMs}, by model version. */
    public Map<String, Long> modelVersionsSince(long fromMs) {
        Map<String, Long> m = new TreeMap<>();
        for (Decision d : first.values()) {
            if (d.decidedAtMs() >= fromMs) {
                m.merge(String.valueOf(d.modelVersion()), 1L, Long::sum);
            }
        }
        return m;
    }

    /**
     * For a fault at {@code atMs}: the last decision made before it, the first made after it, and the
     * seconds from the fault to that first decision (null when nothing was decided after it).
     */
    public Map<String, Object> recovery(long atMs) {
        long before = Long.MIN_VALUE, after = Long.MAX_VALUE;
        for (int i = 0; i < decisions; i++) {
            long t = decidedAt[i];
            if (t < atMs) {
                before = Math.max(before, t);
            } else {
                after = Math.min(after, t);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("at_ms", atMs);
        r.put("last_decision_before_ms", before == Long.MIN_VALUE ? null : before);
        r.put("first_decision_after_ms", after == Long.MAX_VALUE ? null : after);
        r.put("recovery_s", after == Long.MAX_VALUE ? null : (after - atMs) / 1000.0);
        r.put("gap_s", after == Long.MAX_VALUE || before == Long.MIN_VALUE ? null : (after - before) / 1000.0);
        return r;
    }
}
