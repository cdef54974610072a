package dev.vigil.core.profile;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.event.Channel;
import dev.vigil.core.profile.CardProfileBuilder.Chargeback;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CardProfileBuilderTest {
    private static final long DAY = 86_400_000L;
    /** TestData.T0 is 2024-03-01T12:00Z. */
    private static final LocalDate T0_DATE = LocalDate.of(2024, 3, 1);

    private static Authorization daysAfter(String id, int days, long cents) {
        return TestData.auth(id, days * DAY, cents);
    }

    private static Authorization hostDeclined(Authorization a) {
        return new Authorization(a.authorizationId(), a.cardToken(), a.tokenKeyId(), a.bin(), a.last4(),
                a.panLength(), a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(),
                a.merchantId(), a.mcc(), a.merchantCountry(), a.merchantLat(), a.merchantLon(),
                a.utcOffsetMinutes(), a.channel(), a.entryMode(), "51", a.eventTimeMs(), a.cardSeq(), null, null);
    }

    @Test
    void windowsCountOnlyApprovedAuthorizationsUpToAsOf() {
        LocalDate asOf = T0_DATE.plusDays(100);
        List<Authorization> auths = List.of(
                daysAfter("too-old", 10, 100_00),      // 90 days before asOf: outside the 90-day window
                daysAfter("in-90", 11, 10_00),         // first day inside the 90-day window
                daysAfter("in-30", 71, 20_00),         // first day inside the 30-day window
                daysAfter("on-asof", 100, 30_00),
                daysAfter("tomorrow", 101, 999_00),    // after asOf: ignored
                hostDeclined(daysAfter("declined", 80, 500_00)));
        CardProfile p = CardProfileBuilder.build(TestData.TOKEN, asOf, auths, List.of());

        assertEquals(3, p.txnCount90d());
        assertEquals(20.0, p.amountMean90d(), 1e-9);
        assertEquals(Math.sqrt(200.0 / 3), p.amountStd90d(), 1e-9);
        assertEquals(2, p.txnCount30d());
        assertEquals(25.0, p.amountMean30d(), 1e-9);
        assertEquals(5.0, p.amountStd30d(), 1e-9);
        // 12:00 UTC at a merchant with offset -300 is 07:00 local.
        assertEquals(1.0f, p.hourShare90d()[7]);
        assertEquals(List.of("US"), p.topCountries());
        assertEquals(List.of("merchant-1"), p.topMerchants());
        assertEquals(20.0, p.mccAmountMean90d().get("5411"), 1e-9);
        assertEquals(40.7128, p.homeLat(), 1e-12);
    }

    @Test
    void noApprovedAuthorizationInTheWindowMeansNoProfile() {
        LocalDate asOf = T0_DATE.plusDays(200);
        assertNull(CardProfileBuilder.build(TestData.TOKEN, asOf, List.of(daysAfter("old", 0, 10_00)), List.of()));
    }

    @Test
    void aChargebackCountsFromTheNightItIsKnown() {
        Authorization a = daysAfter("a", 0, 10_00);
        Chargeback late = new Chargeback(T0_DATE, T0_DATE.plusDays(40));
        CardProfile before = CardProfileBuilder.build(TestData.TOKEN, T0_DATE.plusDays(39), List.of(a), List.of(late));
        CardProfile known = CardProfileBuilder.build(TestData.TOKEN, T0_DATE.plusDays(40), List.of(a), List.of(late));

        assertEquals(0, before.chargebacks365d());
        assertNull(before.lastChargebackDate());
        assertEquals(1, known.chargebacks365d());
        assertEquals(T0_DATE.plusDays(40), known.lastChargebackDate());
    }

    @Test
    void theResultDoesNotDependOnInputOrder() {
        Random r = new Random(7);
        List<Authorization> auths = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Authorization a = TestData.auth("a" + i, r.nextInt(90) * DAY + r.nextInt(86_400_000), 1 + r.nextInt(1_000_000));
            auths.add(TestData.at(a, "m" + r.nextInt(40), "C" + (char) ('A' + r.nextInt(20)),
                    r.nextDouble() * 10, r.nextDouble() * 10, r.nextBoolean() ? Channel.CARD_PRESENT : Channel.ECOMMERCE));
        }
        LocalDate asOf = T0_DATE.plusDays(89);
        CardProfile first = CardProfileBuilder.build(TestData.TOKEN, asOf, auths, List.of());
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(auths, r);
            assertEquals(first, CardProfileBuilder.build(TestData.TOKEN, asOf, auths, List.of()));
        }
        assertEquals(CardProfile.MAX_COUNTRIES, first.topCountries().size());
        assertEquals(CardProfile.MAX_MERCHANTS, first.topMerchants().size());
        float sum = 0;
        for (float share : first.hourShare90d()) {
            sum += share;
        }
        assertEquals(1.0f, sum, 1e-5f);
    }

    @Test
    void topListsBreakTiesByKey() {
        assertEquals(List.of("b", "a", "c"),
                CardProfileBuilder.top(new java.util.HashMap<>(java.util.Map.of("a", 1, "b", 2, "c", 1)), 3));
        assertTrue(Double.isNaN(CardProfileBuilder.median(List.of())));
        assertEquals(2.5, CardProfileBuilder.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }
}
