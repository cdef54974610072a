package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.bronze.TokenLineage;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.featurelake.rekey.Rekey;
import dev.vigil.testkit.history.HistoryWriter;
import dev.vigil.testkit.world.DayTraffic;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tokenization key rotation in the lake, judged against the same world tokenized with the new key
 * from its first day: after the edge announced the new key for the last days and {@code lake rekey}
 * ran, every card the edge saw in those days has exactly the rows and profiles it would have had,
 * and what lands afterwards (announcing records, a late label naming the old token) joins it.
 */
class RekeyTest {
    private static final TokenKey OLD = key("2026-01", 'o');
    private static final TokenKey NEW = key("2027-01", 'n');
    private static final int CARDS = 150, DAYS = 8, ANNOUNCED_FROM_DAY = 5;
    private static SparkSession spark;

    @BeforeAll
    static void spark() {
        spark = SharedSpark.get();
    }

    private static TokenKey key(String id, char fill) {
        return new TokenKey(id, String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The world's first {@code DAYS} days into {@code dir}, and the day after into {@code later}: from
     * {@code before} until the announcement, from {@code during} after it. Returns each day's
     * authorizations, for decisions on them.
     */
    private static List<List<Authorization>> history(Path dir, Path later, PanTokenizer before, PanTokenizer during)
            throws Exception {
        Simulator a = new Simulator(new World(new WorldConfig(7, CARDS, TestWorlds.START, "rk", 3.0), before));
        Simulator b = new Simulator(new World(new WorldConfig(7, CARDS, TestWorlds.START, "rk", 3.0), during));
        List<List<Authorization>> days = new ArrayList<>();
        try (HistoryWriter writer = new HistoryWriter(dir); HistoryWriter next = new HistoryWriter(later)) {
            for (int d = 0; d <= DAYS; d++) {
                DayTraffic da = a.next(), db = b.next();
                DayTraffic day = d < ANNOUNCED_FROM_DAY ? da : db;
                HistoryWriter w = d < DAYS ? writer : next;
                List<Authorization> auths = new ArrayList<>();
                for (Generated g : day.authorizations()) {
                    w.authorization(g.authorization(), null);
                    auths.add(g.authorization());
                }
                day.chargebacks().forEach(w::label);
                days.add(auths);
            }
        }
        return days;
    }

    /** A decision on every tenth authorization of the first {@code DAYS} days, landed as the job's would be. */
    private static void decide(Lake lake, List<List<Authorization>> days) {
        List<Row> raw = new ArrayList<>();
        long offset = 0;
        for (List<Authorization> day : days.subList(0, DAYS)) {
            for (int i = 0; i < day.size(); i += 10) {
                Authorization a = day.get(i);
                Decision d = new Decision(a.authorizationId(), a.cardToken(), 0.1f, Action.APPROVE, List.of(), "m-1",
                        null, 1, 1, a.eventTimeMs(), a.eventTimeMs() + 5, 40, 0);
                raw.add(RowFactory.create(DecisionCodec.INSTANCE.encode(d), "kafka:decisions", 0, offset++));
            }
        }
        Bronze.land(spark, lake, BronzeStream.DECISIONS, spark.createDataFrame(raw, Bronze.RAW), "rk-test", 1);
    }

    private static Lake lake(Path dir, Path history, List<List<Authorization>> days) {
        Lake lake = new Lake(FileLocations.of(dir));
        HistoryLoad.loadAll(spark, lake, history);
        decide(lake, days);
        night(lake, dir, DAYS - 2);
        return lake;
    }

    private static void night(Lake lake, Path dir, int day) {
        new Nightly(spark, new Nightly.Options(lake, "127.0.0.1:1", Nightly.KafkaMode.OFF, Nightly.KafkaMode.OFF, 14,
                QualityRules.DEFAULTS, dir.resolveSibling(dir.getFileName() + "-runs")), step -> { })
                .run(TestWorlds.START.plusDays(day), false);
    }

    private static Map<String, Row> byId(String path, String id, String... columns) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().format("delta").load(path).select(id, columns).collectAsList()) {
            rows.put(r.getString(0), r);
        }
        return rows;
    }

    private static List<Row> profiles(Lake lake, Set<String> tokens) {
        List<Row> rows = new ArrayList<>(spark.read().format("delta").load(lake.cardProfiles())
                .filter(col("card_token").isin(tokens.toArray())).orderBy("as_of", "card_token").collectAsList());
        assertTrue(rows.size() > 0);
        return rows;
    }

    /** How many rows of {@code table} name the same card token in both lakes (joined by {@code id}). */
    private static long sameToken(Lake rotated, Lake truth, String table, String id) {
        Map<String, Row> mine = byId(rotated.bronze(table), id, "card_token");
        Map<String, Row> theirs = byId(truth.bronze(table), id, "card_token");
        assertEquals(theirs.keySet(), mine.keySet(), table);
        return mine.entrySet().stream().filter(e -> e.getValue().getString(1).equals(theirs.get(e.getKey()).getString(1)))
                .count();
    }

    @Test
    void cardsSeenWhileTheKeyWasAnnouncedMoveToTheirNewTokenEverywhere(@TempDir Path tmp) throws Exception {
        PanTokenizer old = new PanTokenizer(OLD), announcing = new PanTokenizer(OLD, NEW), renewed = new PanTokenizer(NEW);
        List<List<Authorization>> rotatedDays = history(tmp.resolve("h-rotated"), tmp.resolve("l-rotated"), old, announcing);
        List<List<Authorization>> truthDays = history(tmp.resolve("h-truth"), tmp.resolve("l-truth"), renewed, renewed);
        Lake rotated = lake(tmp.resolve("rotated"), tmp.resolve("h-rotated"), rotatedDays);
        Lake truth = lake(tmp.resolve("truth"), tmp.resolve("h-truth"), truthDays);
        String auths = BronzeStream.AUTHORIZATIONS.table();

        Rekey.Result result = Rekey.run(spark, rotated, NEW.id(), null);

        Map<String, Row> after = byId(rotated.bronze(auths), "authorization_id", "card_token", "token_key_id",
                "next_card_token", "next_token_key_id", "event_date");
        Map<String, Row> expected = byId(truth.bronze(auths), "authorization_id", "card_token");
        LocalDate announced = TestWorlds.START.plusDays(ANNOUNCED_FROM_DAY);
        Set<String> seen = new HashSet<>();
        after.values().stream().filter(r -> !r.<LocalDate>getAs("event_date").isBefore(announced))
                .forEach(r -> seen.add(r.getString(1)));
        Set<String> notSeen = new HashSet<>();
        int moved = 0;
        for (Map.Entry<String, Row> e : after.entrySet()) {
            Row r = e.getValue();
            assertNull(r.getAs("next_card_token"), "the pair is in the lineage, not on the row");
            assertNull(r.getAs("next_token_key_id"));
            if (NEW.id().equals(r.getAs("token_key_id"))) {
                assertEquals(expected.get(e.getKey()).getString(1), r.getString(1), e.getKey());
                moved++;
            } else {
                assertEquals(OLD.id(), r.getAs("token_key_id"));
                notSeen.add(r.getString(1));
            }
        }
        assertTrue(moved > after.size() / 2, "most rows moved: " + moved + " of " + after.size());
        assertTrue(notSeen.size() > 0, "a card the edge did not see in the announced days keeps its old token");
        assertEquals(notSeen.size(), result.activeNotCovered(), "all in the last 30 days here");
        assertEquals(seen.size(), result.newPairs(), "one pair per card seen while the key was announced");
        assertEquals((long) moved, result.rowsMoved().get(auths));

        // Decisions and labels, and every night's card profiles (hash and all), as the world under the new
        // key has them.
        for (String[] table : new String[][]{{BronzeStream.DECISIONS.table(), "authorization_id"},
                {BronzeStream.LABELS.table(), "label_id"}}) {
            long same = sameToken(rotated, truth, table[0], table[1]);
            assertTrue(same > 0, table[0]);
            assertEquals(result.rowsMoved().get(table[0]), same, table[0] + ": the moved rows are the ones that match");
        }
        Set<String> newTokens = new HashSet<>();
        after.values().stream().filter(r -> NEW.id().equals(r.getAs("token_key_id"))).forEach(r -> newTokens.add(r.getString(1)));
        assertEquals(profiles(truth, newTokens), profiles(rotated, newTokens));

        // What lands afterwards: a day still announcing, and a late label naming a paired card's old token.
        Row pairedCard = spark.read().format("delta").load(rotated.tokenLineage()).first();
        long labelledAt = TestWorlds.START.plusDays(DAYS).toEpochDay() * 86_400_000L;
        String lateId = Label.idFor("rk-late-auth", LabelSource.ANALYST);
        try (HistoryWriter w = new HistoryWriter(tmp.resolve("late-rotated"));
             HistoryWriter t = new HistoryWriter(tmp.resolve("late-truth"))) {
            w.label(Label.of("rk-late-auth", pairedCard.getAs("from_token"), "m-1", true, LabelSource.ANALYST,
                    labelledAt, labelledAt - 86_400_000L, "kate"));
            t.label(Label.of("rk-late-auth", pairedCard.getAs("to_token"), "m-1", true, LabelSource.ANALYST,
                    labelledAt, labelledAt - 86_400_000L, "kate"));
        }
        HistoryLoad.loadAll(spark, rotated, tmp.resolve("late-rotated"));
        HistoryLoad.loadAll(spark, truth, tmp.resolve("late-truth"));
        List<Bronze.Landed> landing = HistoryLoad.loadAll(spark, rotated, tmp.resolve("l-rotated"));
        HistoryLoad.loadAll(spark, truth, tmp.resolve("l-truth"));
        assertEquals(new Bronze.Landed(rotatedDays.get(DAYS).size(), 0, 0), landing.get(0),
                "each authorization landed once through the lineage's join");
        assertEquals(spark.read().format("delta").load(rotated.bronze(auths)).count(),
                spark.read().format("delta").load(rotated.bronze(auths)).select("authorization_id").distinct().count());
        Map<String, Row> landed = byId(rotated.bronze(auths), "authorization_id", "card_token", "next_card_token",
                "token_key_id");
        Map<String, Row> landedTruth = byId(truth.bronze(auths), "authorization_id", "card_token");
        Set<String> paired = new HashSet<>();
        spark.read().format("delta").load(rotated.tokenLineage()).collectAsList()
                .forEach(r -> paired.add(r.getAs("from_token")));
        int mappedOnLanding = 0;
        for (Authorization a : rotatedDays.get(DAYS)) {
            Row r = landed.get(a.authorizationId());
            if (paired.contains(a.cardToken())) {
                assertEquals(landedTruth.get(a.authorizationId()).getString(1), r.getString(1),
                        "an announcing record of a moved card lands under its new token");
                assertNull(r.getAs("next_card_token"));
                assertEquals(NEW.id(), r.getAs("token_key_id"));
                mappedOnLanding++;
            } else {
                assertEquals(a.cardToken(), r.getString(1), "a card first paired now stays with its history");
            }
        }
        assertTrue(mappedOnLanding > 0);
        assertEquals(pairedCard.<String>getAs("to_token"),
                byId(rotated.bronze(BronzeStream.LABELS.table()), "label_id", "card_token").get(lateId).getString(1),
                "a late label naming the old token joins the card under its new one");

        // The next night, and a second re-key that moves the cards first paired on the last day, whole.
        night(rotated, tmp.resolve("rotated"), DAYS);
        night(truth, tmp.resolve("truth"), DAYS);
        Rekey.Result second = Rekey.run(spark, rotated, NEW.id(), null);
        Map<String, Row> all = byId(rotated.bronze(auths), "authorization_id", "card_token", "token_key_id");
        Map<String, Row> allTruth = byId(truth.bronze(auths), "authorization_id", "card_token");
        Set<String> allNew = new HashSet<>();
        for (Map.Entry<String, Row> e : all.entrySet()) {
            if (NEW.id().equals(e.getValue().getAs("token_key_id"))) {
                assertEquals(allTruth.get(e.getKey()).getString(1), e.getValue().getString(1), e.getKey());
                allNew.add(e.getValue().getString(1));
            }
        }
        assertEquals(result.newPairs() + second.newPairs(), allNew.size(), "every paired card, and only those, moved");
        LocalDate lastNight = TestWorlds.START.plusDays(DAYS);
        assertEquals(profiles(truth, allNew).stream().filter(r -> r.<LocalDate>getAs("as_of").equals(lastNight)).toList(),
                profiles(rotated, allNew).stream().filter(r -> r.<LocalDate>getAs("as_of").equals(lastNight)).toList(),
                "the night after the re-key, and the second re-key, give the profiles of the world under the new key");

        // A third run finds nothing left to move.
        long version = DeltaTable.forPath(spark, rotated.bronze(auths)).history(1).select("version").first().getLong(0);
        Rekey.Result third = Rekey.run(spark, rotated, NEW.id(), null);
        assertEquals(0, third.newPairs());
        third.rowsMoved().values().forEach(n -> assertEquals(0L, n));
        assertEquals(version, DeltaTable.forPath(spark, rotated.bronze(auths)).history(1).select("version").first().getLong(0));
    }

    @Test
    void aSecondRotationMovesEveryKeptPairOnAndATokenPairedAcrossTwoKeysIsRefused(@TempDir Path tmp) {
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        assertEquals(1, TokenLineage.record(spark, lake, "k2", pairs(new String[]{"t1", "k1", "t2", "k2"})));
        assertEquals(1, TokenLineage.record(spark, lake, "k3", pairs(new String[]{"t2", "k2", "t3", "k3"})));
        Map<String, String> kept = new HashMap<>();
        spark.read().format("delta").load(lake.tokenLineage()).collectAsList()
                .forEach(r -> kept.put(r.getAs("from_token"), r.getAs("to_token")));
        assertEquals(Map.of("t1", "t3", "t2", "t3"), kept, "every kept pair points at the card's newest token");

        // A late label naming the first token lands under the newest one, once.
        org.apache.spark.sql.types.StructType labels = new org.apache.spark.sql.types.StructType()
                .add("label_id", "string").add("card_token", "string");
        Map<String, Row> landed = new HashMap<>();
        TokenLineage.mapOnLanding(spark, lake, BronzeStream.LABELS, spark.createDataFrame(List.of(
                        RowFactory.create("l1", "t1"), RowFactory.create("l2", "t2"), RowFactory.create("l3", "t9")), labels))
                .collectAsList().forEach(r -> assertNull(landed.put(r.getString(0), r)));
        assertEquals(List.of("t3", "t3", "t9"), List.of(landed.get("l1").getString(1), landed.get("l2").getString(1),
                landed.get("l3").getString(1)));

        // An edge still on the first key announcing a third: the card's token would lead two ways.
        assertThrows(IllegalStateException.class,
                () -> TokenLineage.record(spark, lake, "k4", pairs(new String[]{"t1", "k1", "t4", "k4"})));
        assertEquals(2, spark.read().format("delta").load(lake.tokenLineage()).count(), "nothing kept");
    }

    private static org.apache.spark.sql.Dataset<Row> pairs(String[]... rows) {
        return spark.createDataFrame(java.util.Arrays.stream(rows).map(r -> RowFactory.create((Object[]) r)).toList(),
                TokenLineage.SCHEMA);
    }

    @Test
    void anEdgeThatPairedOneCardWithTwoNewTokensStopsTheRunBeforeAnyRewrite(@TempDir Path tmp) throws Exception {
        history(tmp.resolve("h"), tmp.resolve("h-later"), new PanTokenizer(OLD), new PanTokenizer(OLD, NEW));
        // A second announcing edge with another secret under the same key id: the lineage no longer holds.
        history(tmp.resolve("h-other"), tmp.resolve("h-other-later"), new PanTokenizer(OLD),
                new PanTokenizer(OLD, key(NEW.id(), 'x')));
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, tmp.resolve("h"));
        List<Row> mixed = spark.read().json(tmp.resolve("h-other").resolve("authorizations").toString())
                .filter(col("next_card_token").isNotNull()).limit(1).collectAsList();
        assertEquals(1, mixed.size());
        String auths = lake.bronze(BronzeStream.AUTHORIZATIONS.table());
        spark.read().format("delta").load(auths).limit(1)
                .withColumn("authorization_id", org.apache.spark.sql.functions.lit("mixed-1"))
                .withColumn("next_card_token", org.apache.spark.sql.functions.lit(mixed.get(0).<String>getAs("next_card_token")))
                .withColumn("next_token_key_id", org.apache.spark.sql.functions.lit(NEW.id()))
                .withColumn("card_token", org.apache.spark.sql.functions.lit(mixed.get(0).<String>getAs("card_token")))
                .write().format("delta").mode("append").save(auths);
        long version = DeltaTable.forPath(spark, auths).history(1).select("version").first().getLong(0);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Rekey.run(spark, lake, NEW.id(), null));
        assertTrue(e.getMessage().contains("mixed keys"), e.getMessage());
        assertEquals(version, DeltaTable.forPath(spark, auths).history(1).select("version").first().getLong(0),
                "nothing was rewritten");
        assertEquals(0, spark.read().format("delta").load(lake.tokenLineage()).count(), "and no pair was kept");
    }
}
