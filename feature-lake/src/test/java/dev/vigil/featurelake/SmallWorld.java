package dev.vigil.featurelake;

import dev.vigil.core.TestData;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.LabelCodec;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Four cards paying every day at 22:00 UTC at merchant m-late; card 0's day-1 payment is charged back on day 8. */
public final class SmallWorld {
    public static final LocalDate DAY0 = LocalDate.of(2024, 3, 1);
    public static final int CARDS = 4;
    private static final long DAY = 86_400_000L;

    private SmallWorld() {
    }

    /** History files for days 0 .. days-1 and the late chargeback. */
    public static Path write(Path dir, int days) throws Exception {
        for (int day = 0; day < days; day++) {
            List<String> lines = new ArrayList<>();
            for (int card = 0; card < CARDS; card++) {
                lines.add(HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(payment(card, day))));
            }
            HistoryFiles.append(dir, "authorizations", DAY0.plusDays(day), lines);
        }
        HistoryFiles.append(dir, "labels", DAY0.plusDays(8), List.of(HistoryFiles.json(LabelCodec.INSTANCE.encode(chargeback()))));
        return dir;
    }

    public static Label chargeback() {
        Authorization victim = payment(0, 1);
        return Label.of(victim.authorizationId(), victim.cardToken(), victim.merchantId(), true, LabelSource.CHARGEBACK,
                DAY0.plusDays(8).toEpochDay() * DAY + 10 * 3_600_000L, victim.eventTimeMs(), null);
    }

    public static String token(int card) {
        return "tok_card" + card + "AAAAAAAAAAAAAAAAAAAAAAAA";
    }

    public static Authorization payment(int card, int day) {
        Authorization a = TestData.at(TestData.auth("a-" + card + "-" + day, 0, 25_00 + card * 100L),
                "m-late", "US", 40.7, -74.0, Channel.CARD_PRESENT);
        return new Authorization(a.authorizationId(), token(card), a.tokenKeyId(), a.bin(), a.last4(),
                a.panLength(), a.amountMinor(), a.currency(), a.billingAmountMinor(), a.billingCurrency(),
                a.merchantId(), a.mcc(), a.merchantCountry(), a.merchantLat(), a.merchantLon(),
                a.utcOffsetMinutes(), a.channel(), a.entryMode(), null,
                DAY0.plusDays(day).toEpochDay() * DAY + 22 * 3_600_000L, day + 1, null, null);
    }
}
