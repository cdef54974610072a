package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.feature.Feature;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.featurelake.HistoryFiles;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.featurelake.SmallWorld;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityRules;
import dev.vigil.batchtraining.replay.FeatureReplay;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay picks profiles as Flink would: published versions only, as_of at least two days old. */
class FeatureReplayTest {

    @Test
    void profilesAreChosenByTheAsOfRuleFromPublishedVersionsOnly(@TempDir Path tmp) throws Exception {
        SparkSession spark = SharedSpark.get();
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        Path world = SmallWorld.write(tmp.resolve("world"), 10);
        // A fifth card pays on day 0 and again on day 9 only: its profile does not change in between.
        for (int day : new int[]{0, 9}) {
            HistoryFiles.append(world, "authorizations", SmallWorld.DAY0.plusDays(day), List.of(
                    HistoryFiles.json(AuthorizationCodec.INSTANCE.encode(SmallWorld.payment(9, day)))));
        }
        HistoryLoad.loadAll(spark, lake, world);
        Nightly nightly = new Nightly(spark, new Nightly.Options(lake, "127.0.0.1:1", Nightly.KafkaMode.OFF,
                Nightly.KafkaMode.OFF, 14, QualityRules.DEFAULTS, tmp.resolve("runs")), s -> { });
        for (int day = 3; day <= 7; day++) {
            nightly.run(SmallWorld.DAY0.plusDays(day), true);
        }

        List<Row> rows = FeatureReplay.replay(spark, lake, SmallWorld.DAY0.plusDays(9), 2)
                .filter(col("card_token").equalTo(SmallWorld.token(0))).orderBy("event_time_ms").collectAsList();

        assertEquals(10, rows.size(), "every authorization up to D, in order");
        for (int day = 0; day < 10; day++) {
            Row r = rows.get(day);
            LocalDate cardAsOf = r.getAs("card_profile_as_of"), merchantAsOf = r.getAs("merchant_profile_as_of");
            float[] v = features(r);
            if (day < 5) {
                // The first night is as of day 3: usable from day 5 on.
                assertNull(cardAsOf, "day " + day);
                assertNull(merchantAsOf, "day " + day);
                assertTrue(Float.isNaN(v[Feature.PROFILE_AGE_DAYS.ordinal()]));
            } else {
                assertEquals(SmallWorld.DAY0.plusDays(day - 2), cardAsOf, "day " + day);
                assertEquals(SmallWorld.DAY0.plusDays(day - 2), merchantAsOf, "day " + day);
                assertEquals(2.0f, v[Feature.PROFILE_AGE_DAYS.ordinal()]);
                assertFalse(Float.isNaN(v[Feature.MERCHANT_LOG_VOLUME.ordinal()]));
            }
        }
        // The quiet card's profile was published once (as of day 3, its first night) and never changed:
        // on day 9 the replay uses that version, as Flink would hold it, six days old.
        Row quiet = FeatureReplay.replay(spark, lake, SmallWorld.DAY0.plusDays(9), 2)
                .filter(col("card_token").equalTo(SmallWorld.token(9)).and(col("event_date").equalTo(SmallWorld.DAY0.plusDays(9))))
                .first();
        assertEquals(SmallWorld.DAY0.plusDays(3), quiet.getAs("card_profile_as_of"));
        assertEquals(6.0f, features(quiet)[Feature.PROFILE_AGE_DAYS.ordinal()]);
        // The chargeback known on day 8 shows from the profile as of day 8, used on day 10 (not replayed: after D).
        assertEquals(0.0f, features(rows.get(9))[Feature.PROFILE_CHARGEBACKS.ordinal()]);
    }

    private static float[] features(Row r) {
        List<Float> f = r.getList(r.fieldIndex("features"));
        float[] v = new float[f.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.get(i);
        }
        return v;
    }
}
