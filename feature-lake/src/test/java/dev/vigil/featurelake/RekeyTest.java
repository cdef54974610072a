package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.featurelake.rekey.Rekey;
import dev.vigil.loadtest.history.HistoryWriter;
import dev.vigil.loadtest.world.DayTraffic;
import dev.vigil.loadtest.world.Generated;
import dev.vigil.loadtest.world.Simulator;
import dev.vigil.loadtest.world.World;
import dev.vigil.loadtest.world.WorldConfig;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;
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
 * ran, every card the edge saw in those days has exactly the rows and profiles it would have had.
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

    /** The world's days: from {@code before} until the announcement, from {@code during} after it. */
    private static Path history(Path dir, PanTokenizer before, PanTokenizer during) throws Exception {
        Simulator a = new Simulator(new World(new WorldConfig(7, CARDS, TestWorlds.START, "rk", 3.0), before));
        Simulator b = new Simulator(new World(new WorldConfig(7, CARDS, TestWorlds.START, "rk", 3.0), during));
        try (HistoryWriter writer = new HistoryWriter(dir)) {
            for (int d = 0; d < DAYS; d++) {
                DayTraffic da = a.next(), db = b.next();
                DayTraffic day = d < ANNOUNCED_FROM_DAY ? da : db;
                for (Generated g : day.authorizations()) {
                    writer.authorization(g.authorization(), null);
                }
                day.chargebacks().forEach(writer::label);
            }
        }
        return dir;
    }

    private static Lake lake(Path dir, Path history) {
        Lake lake = new Lake(FileLocations.of(dir));
        HistoryLoad.loadAll(spark, lake, history);
        new Nightly(spark, new Nightly.Options(lake, "127.0.0.1:1", Nightly.KafkaMode.OFF, Nightly.KafkaMode.OFF, 14,
                QualityRules.DEFAULTS, dir.resolveSibling(dir.getFileName() + "-runs")), step -> { })
                .run(TestWorlds.START.plusDays(DAYS - 2), false);
        return lake;
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

    @Test
    void cardsSeenWhileTheKeyWasAnnouncedMoveToTheirNewTokenEverywhere(@TempDir Path tmp) throws Exception {
        PanTokenizer old = new PanTokenizer(OLD), announcing = new PanTokenizer(OLD, NEW), renewed = new PanTokenizer(NEW);
        Lake rotated = lake(tmp.resolve("rotated"), history(tmp.resolve("h-rotated"), old, announcing));
        Lake truth = lake(tmp.resolve("truth"), history(tmp.resolve("h-truth"), renewed, renewed));
        String auths = BronzeStream.AUTHORIZATIONS.table();

        Rekey.Result result = Rekey.run(spark, rotated, NEW.id());

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
        assertEquals(notSeen.size(), result.cardsNotCovered());
        assertEquals(seen.size(), result.pairs(), "one pair per card seen while the key was announced");
        assertEquals((long) moved, result.rowsMoved().get(auths));

        // Labels, and every night's card profiles (hash and all), as the world under the new key has them.
        Map<String, Row> labels = byId(rotated.bronze(BronzeStream.LABELS.table()), "label_id", "card_token");
        Map<String, Row> truthLabels = byId(truth.bronze(BronzeStream.LABELS.table()), "label_id", "card_token");
        assertEquals(truthLabels.keySet(), labels.keySet());
        long labelsMoved = labels.entrySet().stream()
                .filter(e -> e.getValue().getString(1).equals(truthLabels.get(e.getKey()).getString(1))).count();
        assertEquals(result.rowsMoved().get(BronzeStream.LABELS.table()), labelsMoved);
        assertTrue(labelsMoved > 0);
        Set<String> newTokens = new HashSet<>();
        after.values().stream().filter(r -> NEW.id().equals(r.getAs("token_key_id"))).forEach(r -> newTokens.add(r.getString(1)));
        assertEquals(profiles(truth, newTokens), profiles(rotated, newTokens));

        // Again, after the edge switched: the kept pairs make it a no-op.
        long version = DeltaTable.forPath(spark, rotated.bronze(auths)).history(1).select("version").first().getLong(0);
        Rekey.Result again = Rekey.run(spark, rotated, NEW.id());
        assertEquals(result.pairs(), again.pairs());
        again.rowsMoved().values().forEach(n -> assertEquals(0L, n));
        assertEquals(version, DeltaTable.forPath(spark, rotated.bronze(auths)).history(1).select("version").first().getLong(0));
    }

    @Test
    void anEdgeThatPairedOneCardWithTwoNewTokensStopsTheRunBeforeAnyRewrite(@TempDir Path tmp) throws Exception {
        Path h = history(tmp.resolve("h"), new PanTokenizer(OLD), new PanTokenizer(OLD, NEW));
        // A second announcing edge with another secret under the same key id: the lineage no longer holds.
        Path other = history(tmp.resolve("h-other"), new PanTokenizer(OLD), new PanTokenizer(OLD, key(NEW.id(), 'x')));
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, h);
        List<Row> mixed = spark.read().json(other.resolve("authorizations").toString())
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

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Rekey.run(spark, lake, NEW.id()));
        assertTrue(e.getMessage().contains("mixed keys"), e.getMessage());
        assertEquals(version, DeltaTable.forPath(spark, auths).history(1).select("version").first().getLong(0),
                "nothing was rewritten");
    }
}
