package dev.vigil.batchtraining;

import dev.vigil.batchtraining.replay.CardStateExport;
import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateCodec;
import dev.vigil.core.feature.CardStateLine;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.featurelake.HistoryFiles;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.featurelake.SmallWorld;
import dev.vigil.featurelake.bronze.HistoryLoad;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bootstrap's card states are core's fold of bronze up to D, in arrival order, byte for byte; expired cards left out. */
class CardStateExportTest {

    @Test
    void everyCardsStateIsTheFoldOfItsHistoryUpToDInArrivalOrder(@TempDir Path tmp) throws Exception {
        SparkSession spark = SharedSpark.get();
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        Path world = SmallWorld.write(tmp.resolve("world"), 10);
        // Card 1's payment of day 3 arrives in day 1's file: arrival order is not event-time order.
        Authorization early = copy(SmallWorld.payment(1, 3), "early-1-3", SmallWorld.payment(1, 3).eventTimeMs() + 3_600_000L);
        HistoryFiles.append(world, "authorizations", SmallWorld.DAY0.plusDays(1),
                List.of(HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(early))));
        // Card 0's day-3 payment arrives again on day 4: bronze keeps an id once.
        Authorization resent = SmallWorld.payment(0, 3);
        HistoryFiles.append(world, "authorizations", SmallWorld.DAY0.plusDays(4),
                List.of(HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(resent))));
        // A card last seen long before D: expired by then, so not exported.
        Authorization old = copy(SmallWorld.payment(2, 0), "old-card", SmallWorld.payment(2, 0).eventTimeMs() - 200 * 86_400_000L);
        Authorization oldCard = new Authorization(old.authorizationId(), "tok_oldcardAAAAAAAAAAAAAAAAAAAAAAA", old.tokenKeyId(),
                old.bin(), old.last4(), old.panLength(), old.amountMinor(), old.currency(), old.billingAmountMinor(),
                old.billingCurrency(), old.merchantId(), old.mcc(), old.merchantCountry(), old.merchantLat(),
                old.merchantLon(), old.utcOffsetMinutes(), old.channel(), old.entryMode(), null, old.eventTimeMs(), 1, null, null);
        HistoryFiles.append(world, "authorizations", SmallWorld.DAY0.minusDays(200),
                List.of(HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(oldCard))));
        HistoryLoad.loadAll(spark, lake, world);
        LocalDate through = SmallWorld.DAY0.plusDays(5);

        long cards = CardStateExport.write(spark, lake, through, FileLocations.of(tmp.resolve("card states")));

        // The same history folded by core's fold here, in the files' order (days, then lines).
        Map<String, CardState> expected = new HashMap<>();
        float[] discarded = FeatureSet.newVector();
        for (int day = 0; day <= 5; day++) {
            List<Authorization> arrivals = new ArrayList<>();
            for (int card = 0; card < SmallWorld.CARDS; card++) {
                arrivals.add(SmallWorld.payment(card, day));
            }
            if (day == 1) {
                arrivals.add(early);
            }
            for (Authorization a : arrivals) {
                CardFold.step(expected.computeIfAbsent(a.cardToken(), k -> new CardState()), a, null, null, discarded);
            }
        }
        Map<String, byte[]> exported = new HashMap<>();
        try (Stream<Path> files = Files.list(tmp.resolve("card states"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    CardStateLine card = CardStateLine.decode(line);
                    exported.put(card.cardToken(), CardStateCodec.encode(card.state()));
                }
            }
        }
        assertEquals(SmallWorld.CARDS, cards, "the expired card is left out");
        assertEquals(expected.keySet(), exported.keySet());
        for (Map.Entry<String, CardState> e : expected.entrySet()) {
            assertArrayEquals(CardStateCodec.encode(e.getValue()), exported.get(e.getKey()), e.getKey());
        }
        assertEquals(6, CardStateCodec.decode(exported.get(SmallWorld.token(0))).authCount(), "six days, the resend once");
        assertEquals(7, CardStateCodec.decode(exported.get(SmallWorld.token(1))).authCount(), "six days and the early one");
    }

    private static Authorization copy(Authorization a, String id, long eventTimeMs) {
        return new Authorization(id, a.cardToken(), a.tokenKeyId(), a.bin(), a.last4(), a.panLength(), a.amountMinor(),
                a.currency(), a.billingAmountMinor(), a.billingCurrency(), a.merchantId(), a.mcc(), a.merchantCountry(),
                a.merchantLat(), a.merchantLon(), a.utcOffsetMinutes(), a.channel(), a.entryMode(), null, eventTimeMs,
                a.cardSeq(), null, null);
    }
}
