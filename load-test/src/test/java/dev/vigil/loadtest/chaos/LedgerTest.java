package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.EntryMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LedgerTest {
    private static final long T0 = 1_700_000_000_000L;

    private static Authorization auth(String id, String card, long seq) {
        return new Authorization(id, card, "k1", "414720", "1234", 16, 1_000, "USD", 1_000, "USD", "m-1", "5411", "US",
                40.7, -74.0, -300, Channel.CARD_PRESENT, EntryMode.CHIP, null, T0 + seq * 60_000, seq, null, null);
    }

    private static Decision decision(Authorization a, long count, long lastSeq, Action action, long decidedAt) {
        return new Decision(a.authorizationId(), a.cardToken(), 0.1f, action, List.of(), "v1", null, count, lastSeq,
                a.eventTimeMs(), decidedAt, 500);
    }

    @Test
    void aReplayedRunWithIdenticalDuplicatesPassesEveryCheck() {
        Ledger ledger = new Ledger();
        Authorization a1 = auth("a1", "card-A", 1), a2 = auth("a2", "card-A", 2), b1 = auth("b1", "card-B", 1);
        List.of(a1, a2, b1).forEach(ledger::authorization);
        ledger.decision(decision(a1, 1, 1, Action.APPROVE, T0 + 10));
        ledger.decision(decision(a2, 2, 2, Action.APPROVE, T0 + 20));
        // After a restore from a checkpoint taken before a2: a2 decided again, the same way, later.
        ledger.decision(decision(a2, 2, 2, Action.APPROVE, T0 + 9_000));
        ledger.decision(decision(b1, 1, 1, Action.REVIEW, T0 + 9_100));
        ledger.decision(decision(auth("other", "card-C", 7), 7, 7, Action.APPROVE, T0 + 30));
        assertEquals(0, ledger.missing());
        assertEquals(1, ledger.duplicates());
        assertEquals(0, ledger.differingDuplicates());
        assertEquals(0, ledger.stateMismatches());
        assertEquals(1, ledger.strangers(), "another run's decision is not this run's business");
        var r = ledger.recovery(T0 + 100);
        assertEquals(T0 + 20, r.get("last_decision_before_ms"));
        assertEquals(T0 + 9_000, r.get("first_decision_after_ms"));
        assertEquals(8.9, (double) r.get("recovery_s"), 1e-9);
    }

    @Test
    void lostStateDoubleCountingDifferingDuplicatesAndMissingDecisionsAreEachCaught() {
        Ledger ledger = new Ledger();
        Authorization a1 = auth("a1", "card-A", 1), a2 = auth("a2", "card-A", 2), a3 = auth("a3", "card-A", 3);
        Authorization b1 = auth("b1", "card-B", 1);
        List.of(a1, a2, a3, b1).forEach(ledger::authorization);
        ledger.decision(decision(a1, 1, 1, Action.APPROVE, T0));
        ledger.decision(decision(a2, 1, 2, Action.APPROVE, T0)); // state lost: a1 forgotten
        ledger.decision(decision(a3, 4, 3, Action.APPROVE, T0)); // double-counted
        ledger.decision(decision(a1, 1, 1, Action.DECLINE, T0)); // a repeat that decided otherwise
        assertEquals(1, ledger.missing(), "b1 was never decided");
        assertEquals(2, ledger.stateMismatches());
        assertEquals(1, ledger.differingDuplicates());
        assertEquals(3, ledger.examples().size());
    }

    @Test
    void aRepeatedAuthorizationIdIsFoldedOnceAsTheJobFoldsIt() {
        Ledger ledger = new Ledger();
        Authorization a1 = auth("a1", "card-A", 1);
        ledger.authorization(a1);
        ledger.authorization(a1); // the ingress sent it twice: the fold ignores the repeat
        ledger.authorization(auth("a2", "card-A", 2));
        ledger.decision(decision(a1, 1, 1, Action.APPROVE, T0));
        ledger.decision(decision(auth("a2", "card-A", 2), 2, 2, Action.APPROVE, T0));
        assertEquals(0, ledger.stateMismatches());

        // Sent again after the card's next one: the job does not decide it again, and its one
        // decision carries the counters of when it was folded.
        Ledger later = new Ledger();
        later.authorization(a1);
        later.authorization(auth("a2", "card-A", 2));
        later.authorization(a1);
        later.decision(decision(a1, 1, 1, Action.APPROVE, T0));
        later.decision(decision(auth("a2", "card-A", 2), 2, 2, Action.APPROVE, T0));
        assertEquals(0, later.stateMismatches());
        assertEquals(0, later.missing());
    }

    @Test
    void aCardAnEarlierRunAlsoMadeContinuesFromThatRunsAuthorizations() {
        Ledger ledger = new Ledger();
        // An earlier world made the same PAN: the job's state for the token already holds two folds.
        ledger.earlier(auth("old-1", "card-A", 1));
        ledger.earlier(auth("old-2", "card-A", 2));
        Authorization a1 = auth("a1", "card-A", 1);
        ledger.authorization(a1);
        ledger.decision(decision(a1, 3, 1, Action.APPROVE, T0));
        assertEquals(0, ledger.stateMismatches());
        assertEquals(0, ledger.missing(), "earlier authorizations are not this run's to decide");
        ledger.decision(decision(auth("old-2", "card-A", 2), 2, 2, Action.APPROVE, T0));
        assertEquals(1, ledger.strangers());
    }
}
