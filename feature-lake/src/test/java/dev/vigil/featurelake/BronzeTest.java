package dev.vigil.featurelake;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.TestData;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Landing in bronze on real Delta tables (local disk): exactly once, by identity, nothing dropped. */
class BronzeTest {
    private static final Pattern PAN_LIKE = Pattern.compile("\\d{12,}");
    private static SparkSession spark;

    @BeforeAll
    static void spark() {
        spark = SharedSpark.get();
    }

    private static Dataset<Row> table(Lake lake, BronzeStream s) {
        return spark.read().format("delta").load(lake.bronze(s.table()));
    }

    @Test
    void historyLandsOnceAndMalformedLinesAreQuarantinedWithTheirReason(@TempDir Path tmp) throws Exception {
        // In a folder with a space, as a clone may be: Spark and Delta take file: locations unencoded.
        Path clone = tmp.resolve("my clone");
        TestWorlds.History h = TestWorlds.generate(clone.resolve("world"), 150, 5, 11);
        LocalDate day = TestWorlds.START.plusDays(2);
        HistoryFiles.append(h.dir(), "authorizations", day, List.of(
                "{\"v\":1,\"authorization_id\":\"broken\", \"pan\":\"4111111111111111\"",
                "{\"v\":1,\"authorization_id\":\"x\",\"card_token\":\"4111111111111111\"}",
                "not json at all 5500000000000004"));
        Lake lake = new Lake(FileLocations.of(clone.resolve("lake")));

        Bronze.Landed first = HistoryLoad.load(spark, lake, BronzeStream.AUTHORIZATIONS, h.dir());
        Bronze.Landed labels = HistoryLoad.load(spark, lake, BronzeStream.LABELS, h.dir());
        assertTrue(java.nio.file.Files.isDirectory(clone.resolve("lake").resolve("bronze")),
                "the lake is in 'my clone', not in a folder named my%20clone");

        assertEquals(new Bronze.Landed(h.authorizations(), 0, 3), first);
        assertEquals(h.labels(), labels.inserted());
        assertEquals(h.authorizations(), table(lake, BronzeStream.AUTHORIZATIONS).count());
        List<Row> quarantined = spark.read().format("delta").load(lake.quarantine()).collectAsList();
        assertEquals(3, quarantined.size());
        for (Row q : quarantined) {
            assertEquals("authorizations", q.getAs("stream"));
            assertFalse(q.<String>getAs("reason").isBlank());
            assertTrue(q.<String>getAs("src").startsWith("file:authorizations/date=" + day));
            assertFalse(PAN_LIKE.matcher(q.<String>getAs("raw_masked")).find(), "a card number in clear in quarantine");
            assertFalse(PAN_LIKE.matcher(q.<String>getAs("reason")).find(), "a card number in clear in a reason");
        }

        // Loading the same folder again adds nothing to bronze (the quarantine records the re-read).
        Bronze.Landed again = HistoryLoad.load(spark, lake, BronzeStream.AUTHORIZATIONS, h.dir());
        assertEquals(0, again.inserted());
        assertEquals(h.authorizations(), again.duplicates());
        assertEquals(h.authorizations(), table(lake, BronzeStream.AUTHORIZATIONS).count());
        assertEquals(h.authorizations(),
                table(lake, BronzeStream.AUTHORIZATIONS).select("authorization_id").distinct().count());
    }

    @Test
    void aLabelsTableWrittenBeforeLabelsCarriedTheMerchantGainsTheColumnWhenLabelsLand(@TempDir Path tmp) throws Exception {
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        String path = lake.bronze(BronzeStream.LABELS.table());
        org.apache.spark.sql.types.StructType old = Bronze.tableSchema(BronzeStream.LABELS);
        old = new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(old.fields())
                .filter(f -> !f.name().equals("merchant_id")).toArray(org.apache.spark.sql.types.StructField[]::new));
        io.delta.tables.DeltaTable.create(spark).location(path).addColumns(old).partitionedBy("label_date").execute();

        Path history = tmp.resolve("history");
        HistoryFiles.append(history, "labels", TestWorlds.START, List.of(new String(
                dev.vigil.core.json.LabelCodec.INSTANCE.encode(SmallWorld.chargeback()), java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(1, HistoryLoad.load(spark, lake, BronzeStream.LABELS, history).inserted());

        Row landed = table(lake, BronzeStream.LABELS).first();
        assertEquals(SmallWorld.chargeback().merchantId(), landed.getAs("merchant_id"));
    }

    @Test
    void aRetransmittedAuthorizationIsKeptOnceAtItsFirstArrival(@TempDir Path tmp) throws Exception {
        Authorization a = TestData.auth("auth-1", 0, 12_34);
        Authorization b = TestData.auth("auth-2", 60_000, 5_00);
        LocalDate day = LocalDate.of(2024, 3, 1);
        String aJson = HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(a));
        HistoryFiles.append(tmp, "authorizations", day, List.of(aJson,
                HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(b)), aJson));
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));

        Bronze.Landed landed = HistoryLoad.load(spark, lake, BronzeStream.AUTHORIZATIONS, tmp);

        assertEquals(new Bronze.Landed(2, 1, 0), landed);
        Row kept = table(lake, BronzeStream.AUTHORIZATIONS).filter(col("authorization_id").equalTo("auth-1")).first();
        assertEquals(1L, kept.<Long>getAs("src_offset"));
        assertEquals(-1, kept.<Integer>getAs("src_partition"));
        assertEquals(a, dev.vigil.featurelake.bronze.AuthorizationRows.fromRow(kept), "the bronze row maps back to the record");
        assertEquals(day, kept.getAs("event_date"));
    }

    @Test
    void aRedeliveredDecisionIsOneRowButADifferentOutcomeIsKept(@TempDir Path tmp) throws Exception {
        Decision d = new Decision("auth-1", TestData.TOKEN, 0.25f, Action.APPROVE, List.of("AMOUNT_Z"), "m-1",
                "2024-02-28", 3, 3, TestData.T0, TestData.T0 + 5, 900);
        Decision rescored = new Decision("auth-1", TestData.TOKEN, 0.91f, Action.DECLINE, List.of("AMOUNT_Z"), "m-2",
                "2024-02-28", 3, 3, TestData.T0, TestData.T0 + 7, 800);
        String once = HistoryFiles.json(DecisionCodec.INSTANCE.encode(d));
        HistoryFiles.append(tmp, "decisions", LocalDate.of(2024, 3, 1), List.of(once, once,
                HistoryFiles.json(DecisionCodec.INSTANCE.encode(rescored))));
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));

        assertEquals(new Bronze.Landed(2, 1, 0), HistoryLoad.load(spark, lake, BronzeStream.DECISIONS, tmp));
        assertEquals(new Bronze.Landed(0, 3, 0), HistoryLoad.load(spark, lake, BronzeStream.DECISIONS, tmp));
        assertEquals(2, table(lake, BronzeStream.DECISIONS).count());
    }
}
