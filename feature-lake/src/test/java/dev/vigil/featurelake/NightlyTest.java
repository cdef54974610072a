package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.event.CardProfile;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.nightly.LakeDigest;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.profiles.CardProfileRows;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.featurelake.quality.QualityViolation;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nightly on real Delta tables (local disk), Kafka off: profiles, idempotence, labels known late, checks. */
class NightlyTest {
    private static final LocalDate DAY0 = SmallWorld.DAY0;
    private static SparkSession spark;

    @BeforeAll
    static void spark() {
        spark = SharedSpark.get();
    }

    private static Nightly nightly(Lake lake, Path out) {
        return new Nightly(spark, new Nightly.Options(lake, "127.0.0.1:1", Nightly.KafkaMode.OFF,
                Nightly.KafkaMode.OFF, 14, QualityRules.DEFAULTS, out), step -> { });
    }

    private static String latest(Map<Long, String> versions) {
        return versions.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theDigestIgnoresRowOrderAndRunTimesButNotContent() {
        var schema = new org.apache.spark.sql.types.StructType().add("id", "string").add("amount", "long")
                .add("ingested_at", "timestamp");
        java.sql.Timestamp t1 = java.sql.Timestamp.valueOf("2026-01-01 00:00:00");
        java.sql.Timestamp t2 = java.sql.Timestamp.valueOf("2026-01-02 00:00:00");
        Dataset<Row> a = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", 1L, t1),
                org.apache.spark.sql.RowFactory.create("b", 2L, t1)), schema);
        Dataset<Row> reordered = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("b", 2L, t2),
                org.apache.spark.sql.RowFactory.create("a", 1L, t2)), schema);
        Dataset<Row> changed = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", 1L, t1),
                org.apache.spark.sql.RowFactory.create("b", 3L, t1)), schema);
        assertEquals(LakeDigest.of(a), LakeDigest.of(reordered));
        assertTrue(LakeDigest.of(a).startsWith("2:"));
        assertFalse(LakeDigest.of(a).equals(LakeDigest.of(changed)));
        assertFalse(LakeDigest.of(a).equals(LakeDigest.of(a.limit(1))));
    }

    private static List<Row> sorted(String path, LocalDate asOf, String key) {
        return spark.read().format("delta").load(path).filter(col("as_of").equalTo(asOf)).orderBy(key).collectAsList();
    }

    @Test
    void rerunningANightGivesIdenticalProfilesAndKeepsHistory(@TempDir Path tmp) throws Exception {
        TestWorlds.History h = TestWorlds.generate(tmp.resolve("world"), 200, 8, 5);
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, h.dir());
        LocalDate d = TestWorlds.START.plusDays(6);

        Map<String, Object> first = nightly(lake, tmp.resolve("runs")).run(d, true);
        List<Row> cards = sorted(lake.cardProfiles(), d, "card_token");
        List<Row> merchants = sorted(lake.merchantProfiles(), d, "merchant_id");
        Map<String, Map<Long, String>> before = LakeDigest.digest(spark, lake, true);
        Map<String, Object> second = nightly(lake, tmp.resolve("runs")).run(d, true);

        // The digest the chaos suite compares runs with: the rerun commits again, with the same content
        // (its run ledger's finish time aside), and every earlier version keeps its digest.
        Map<String, Map<Long, String>> after = LakeDigest.digest(spark, lake, true);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((table, versions) -> {
            assertEquals(latest(versions), latest(after.get(table)), table);
            versions.forEach((v, digest) -> assertEquals(digest, after.get(table).get(v), table + " version " + v));
        });
        assertTrue(after.get("profiles/card_profiles").size() > before.get("profiles/card_profiles").size(),
                "the rerun is a commit of its own");

        assertEquals("succeeded", first.get("status"));
        assertTrue(cards.size() > 150, "most cards have a profile: " + cards.size());
        assertEquals((long) cards.size(), first.get("card_profiles_written"));
        assertEquals(cards, sorted(lake.cardProfiles(), d, "card_token"));
        assertEquals(merchants, sorted(lake.merchantProfiles(), d, "merchant_id"));
        assertEquals(first.get("card_profiles_written"), second.get("card_profiles_written"));
        // Nothing changed between the two runs, and the first run had no earlier night to compare with.
        assertEquals((long) cards.size(), first.get("card_profiles_changed"));

        // History: both writes are commits, and the first one is readable by time travel.
        List<Row> history = DeltaTable.forPath(spark, lake.cardProfiles()).history().collectAsList();
        assertTrue(history.size() >= 2);
        long firstWrite = history.get(history.size() - 1).getLong(0);
        Dataset<Row> travelled = spark.read().format("delta").option("versionAsOf", firstWrite).load(lake.cardProfiles());
        assertEquals(cards, travelled.filter(col("as_of").equalTo(d)).orderBy("card_token").collectAsList());

        CardProfile p = CardProfileRows.fromRow(cards.get(0));
        assertEquals(d, p.asOf());
        Row again = CardProfileRows.toRow(p);
        assertEquals(p, CardProfileRows.fromRow(again), "row and record map both ways");
        assertEquals(cards.get(0).<String>getAs("content_hash"), again.getAs("content_hash"));
        assertTrue(cards.get(0).<Boolean>getAs("changed"), "a first night publishes every profile");

        Map<?, ?> summary = new ObjectMapper().readValue(tmp.resolve("runs").resolve(d.toString())
                .resolve("nightly-summary.json").toFile(), Map.class);
        assertEquals("succeeded", summary.get("status"));
        assertEquals(d.toString(), summary.get("date"));
    }

    @Test
    void aBackfillLeavesTheTablesThatTheNightsRunOneAtATimeWould(@TempDir Path tmp) throws Exception {
        TestWorlds.History h = TestWorlds.generate(tmp.resolve("world"), 150, 20, 11);
        Lake single = new Lake(FileLocations.of(tmp.resolve("single")));
        HistoryLoad.loadAll(spark, single, h.dir());
        copy(tmp.resolve("single"), tmp.resolve("backfill"));
        Lake backfill = new Lake(FileLocations.of(tmp.resolve("backfill")));
        LocalDate first = TestWorlds.START.plusDays(16), last = TestWorlds.START.plusDays(19);
        // Both lakes hold an earlier night, so the backfill's first night compares with the table's.
        nightly(single, tmp.resolve("runs-single")).run(first.minusDays(1), true);
        nightly(backfill, tmp.resolve("runs-backfill")).run(first.minusDays(1), true);

        List<Map<String, Object>> one = new java.util.ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            one.add(nightly(single, tmp.resolve("runs-single")).run(d, true));
        }
        List<Map<String, Object>> all = nightly(backfill, tmp.resolve("runs-backfill")).run(first, last, true);

        Map<String, Map<Long, String>> a = LakeDigest.digest(spark, single, false);
        Map<String, Map<Long, String>> b = LakeDigest.digest(spark, backfill, false);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((table, versions) -> assertEquals(latest(versions), latest(b.get(table)), table));
        assertEquals(4, all.size());
        for (int i = 0; i < all.size(); i++) {
            for (String k : List.of("date", "status", "card_profiles_written", "card_profiles_changed",
                    "merchant_profiles_written", "merchant_profiles_changed")) {
                assertEquals(one.get(i).get(k), all.get(i).get(k), k + " of night " + i);
            }
        }
        // Not a trivial equality: the nights differ, some profiles did not change from one night to the
        // next, and chargebacks became known inside the backfill's range.
        Dataset<Row> cards = spark.read().format("delta").load(backfill.cardProfiles());
        assertTrue((long) all.get(3).get("card_profiles_changed") < (long) all.get(3).get("card_profiles_written"));
        assertTrue(spark.read().format("delta").load(backfill.bronze(BronzeStream.LABELS.table()))
                .filter(col("label_date").between(first, last)).count() > 0, "labels became known during the backfill");
        assertTrue(cards.filter(col("as_of").equalTo(last).and(col("chargebacks_365d").gt(0))).count() > 0);
        assertEquals(2L, DeltaTable.forPath(spark, backfill.cardProfiles()).history()
                .filter(col("operation").equalTo("WRITE")).count(), "the earlier night, then one commit for four nights");
    }

    private static void copy(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void aLabelThatArrivesDaysLateChangesProfilesOnlyFromTheNightItIsKnown(@TempDir Path tmp) throws Exception {
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, SmallWorld.write(tmp.resolve("world"), 10));
        Nightly nightly = nightly(lake, tmp.resolve("runs"));
        nightly.run(DAY0.plusDays(7), true);
        Map<String, Object> day8 = nightly.run(DAY0.plusDays(8), true);

        Row label = spark.read().format("delta").load(lake.bronze(BronzeStream.LABELS.table())).first();
        assertEquals(DAY0.plusDays(8), label.getAs("label_date"), "partitioned by the date it became known");
        assertEquals(DAY0.plusDays(1), label.getAs("event_date"));

        Row before = cardProfile(lake, DAY0.plusDays(7), 0), after = cardProfile(lake, DAY0.plusDays(8), 0);
        assertEquals(0, before.<Integer>getAs("chargebacks_365d"));
        assertEquals(1, after.<Integer>getAs("chargebacks_365d"));
        assertEquals(DAY0.plusDays(8), after.getAs("last_chargeback_date"));
        assertEquals(0, cardProfile(lake, DAY0.plusDays(8), 1).<Integer>getAs("chargebacks_365d"));

        Row merchant7 = merchantProfile(lake, DAY0.plusDays(7)), merchant8 = merchantProfile(lake, DAY0.plusDays(8));
        assertEquals(0, merchant7.<Integer>getAs("chargebacks_90d"));
        assertEquals(1, merchant8.<Integer>getAs("chargebacks_90d"));
        // The charged-back payment is 7 days old: not mature (14 days), so the fraud rate ignores it yet.
        assertEquals(0.0, merchant8.<Double>getAs("fraud_rate_90d"));
        assertEquals(0.0, merchant8.<Double>getAs("compromise_score"));
        // Every card's profile changed (the window moved), the merchant's too.
        assertEquals(4L, day8.get("card_profiles_changed"));
        assertEquals(1L, day8.get("merchant_profiles_changed"));
    }

    private static Row cardProfile(Lake lake, LocalDate asOf, int card) {
        return spark.read().format("delta").load(lake.cardProfiles())
                .filter(col("as_of").equalTo(asOf).and(col("card_token").equalTo(SmallWorld.token(card)))).first();
    }

    private static Row merchantProfile(Lake lake, LocalDate asOf) {
        return spark.read().format("delta").load(lake.merchantProfiles())
                .filter(col("as_of").equalTo(asOf).and(col("merchant_id").equalTo("m-late"))).first();
    }

    @Test
    void aFailedCheckStopsTheNightBeforeAnythingIsWritten(@TempDir Path tmp) throws Exception {
        Path world = SmallWorld.write(tmp.resolve("world"), 10);
        // Day 10 brings one payment where the days before brought four: a volume drop.
        HistoryFiles.append(world, "authorizations", DAY0.plusDays(10),
                List.of(HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(SmallWorld.payment(0, 10)))));
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, world);
        Nightly nightly = nightly(lake, tmp.resolve("runs"));
        nightly.run(DAY0.plusDays(9), true);

        QualityViolation drop = assertThrows(QualityViolation.class, () -> nightly.run(DAY0.plusDays(10), true));
        QualityViolation missing = assertThrows(QualityViolation.class, () -> nightly.run(DAY0.plusDays(12), true));

        assertTrue(drop.getMessage().contains("volume"), drop.getMessage());
        assertTrue(missing.getMessage().contains("no authorizations with event date 2024-03-13"), missing.getMessage());
        Dataset<Row> cards = spark.read().format("delta").load(lake.cardProfiles());
        assertEquals(0, cards.filter(col("as_of").geq(DAY0.plusDays(10))).count());
        assertEquals(4, cards.filter(col("as_of").equalTo(DAY0.plusDays(9))).count());
        Row run = spark.read().format("delta").load(lake.nightlyRuns())
                .filter(col("date").equalTo(DAY0.plusDays(10))).first();
        assertEquals("failed", run.getAs("status"));
        String summary = Files.readString(tmp.resolve("runs").resolve("2024-03-11").resolve("nightly-summary.json"));
        assertTrue(summary.contains("\"status\" : \"failed\""), summary);
        assertFalse(drop.checks().stream().allMatch(c -> c.passed()));
    }
}
