package dev.vigil.featurelake;

import dev.vigil.featurelake.bronze.Bronze;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityRules;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole lake flow on s3a:// against the real S3-compatible store ./vigil test starts (s3proxy on
 * 127.0.0.1): history load with a quarantined line, two nights, a rerun, and the objects in the bucket.
 */
class S3LakeIT {
    private static SparkSession spark;
    private static String bucket;

    @BeforeAll
    static void store() {
        String endpoint = System.getenv("VIGIL_S3_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalStateException("no S3 store configured: run the tests with ./vigil test, or start one with "
                    + "./vigil s3 start and export VIGIL_S3_ENDPOINT, VIGIL_S3_ACCESS_KEY, VIGIL_S3_SECRET_KEY");
        }
        bucket = System.getenv().getOrDefault("VIGIL_S3_BUCKET", "vigil");
        spark = SharedSpark.get();
    }

    @Test
    void theLakeWorksOnS3(@TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path world = SmallWorld.write(tmp.resolve("world"), 10);
        HistoryFiles.append(world, "labels", SmallWorld.DAY0.plusDays(9), List.of("{\"v\":1,\"label_id\":"));
        Lake lake = new Lake("s3a://" + bucket + "/it-" + UUID.randomUUID());
        assertTrue(lake.onS3());

        List<Bronze.Landed> landed = HistoryLoad.loadAll(spark, lake, world);
        Nightly nightly = new Nightly(spark, new Nightly.Options(lake, "127.0.0.1:1", Nightly.KafkaMode.OFF,
                Nightly.KafkaMode.OFF, 14, QualityRules.DEFAULTS, tmp.resolve("runs")), s -> { });
        nightly.run(SmallWorld.DAY0.plusDays(8), true);
        Map<String, Object> nine = nightly.run(SmallWorld.DAY0.plusDays(9), true);
        List<Row> cards = spark.read().format("delta").load(lake.cardProfiles())
                .filter(col("as_of").equalTo(SmallWorld.DAY0.plusDays(9))).orderBy("card_token").collectAsList();
        nightly.run(SmallWorld.DAY0.plusDays(9), true);

        assertEquals(new Bronze.Landed(40, 0, 0), landed.get(BronzeStream.AUTHORIZATIONS.ordinal()));
        assertEquals(new Bronze.Landed(1, 0, 1), landed.get(BronzeStream.LABELS.ordinal()));
        assertEquals("succeeded", nine.get("status"));
        assertEquals(4, cards.size());
        assertEquals(1, cards.get(0).<Integer>getAs("chargebacks_365d"));
        assertEquals(cards, spark.read().format("delta").load(lake.cardProfiles())
                .filter(col("as_of").equalTo(SmallWorld.DAY0.plusDays(9))).orderBy("card_token").collectAsList());
        assertEquals(2, spark.read().format("delta").load(lake.nightlyRuns()).count());

        // The tables really are objects in the bucket, with their Delta logs.
        FileSystem fs = FileSystem.get(URI.create(lake.root()), spark.sparkContext().hadoopConfiguration());
        assertTrue(fs.exists(new Path(lake.cardProfiles() + "/_delta_log/00000000000000000000.json")));
        assertTrue(fs.listStatus(new Path(lake.cardProfiles() + "/as_of=" + SmallWorld.DAY0.plusDays(9))).length > 0);
    }
}
