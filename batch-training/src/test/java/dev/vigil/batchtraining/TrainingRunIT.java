package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.TreeModel;
import dev.vigil.core.topic.Topic;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.featurelake.TestWorlds;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.batchtraining.model.TrainingConfig;
import dev.vigil.batchtraining.run.TrainingRun;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training end to end on a generated world, against the real test broker: the first candidate
 * becomes champion; a second one is compared with it on the same holdout and passes; a crippled
 * third one fails the gate and is neither published nor promoted; when the champion's folder is
 * gone, the next candidate is gated without it and promoted.
 */
class TrainingRunIT {
    private static String modelUpdates;

    @BeforeAll
    static void topic() throws Exception {
        RealKafka.bootstrap();
        modelUpdates = RealKafka.newTopic("train-model-updates", 1);
        System.setProperty("vigil.topic.model-updates", modelUpdates);
    }

    @AfterAll
    static void clear() {
        System.clearProperty("vigil.topic.model-updates");
    }

    private static TrainingRun run(Lake lake, Path tmp, Path truth, Map<String, String> extra) {
        Map<String, String> sets = new HashMap<>(Map.of("window.train_days", "10", "window.delay_days", "4",
                "window.holdout_days", "7", "xgb.num_round", "40", "analysts.daily_capacity", "20"));
        sets.putAll(extra);
        TrainingRun.Options o = new TrainingRun.Options(lake, FileLocations.of(tmp.resolve("store")), "it",
                RealKafka.bootstrap(), true, tmp.resolve("runs"), truth, TrainingConfig.load(null, sets));
        return new TrainingRun(SharedSpark.get(), o, s -> System.out.println("train: " + s));
    }

    @Test
    void trainsEvaluatesGatesAndPromotes(@TempDir Path tmp) throws Exception {
        SparkSession spark = SharedSpark.get();
        TestWorlds.History world = TestWorlds.generate(tmp.resolve("world"), 2500, 30, 3);
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, world.dir());
        var d = TestWorlds.START.plusDays(29);

        TrainingRun.Outcome first = run(lake, tmp, world.dir().resolve("truth"), Map.of()).run(d);

        assertTrue(first.promoted(), first.gateReason());
        assertTrue(first.rows().get("train_fraud") > 20, "frauds to learn from: " + first.rows());
        assertTrue(first.metrics().get("average_precision") > first.rows().get("holdout_fraud") / (double) first.rows().get("holdout"),
                "better than chance: " + first.metrics());
        for (String key : List.of("average_precision", "roc_auc", "recall_at_1pct_fpr", "card_precision_at_k")) {
            assertTrue(first.metrics().containsKey(key) && first.baselineMetrics().containsKey(key), key);
        }
        String report = Files.readString(first.report());
        assertTrue(report.contains("precision-recall.png") && report.contains("Declined authorizations"), "report");
        assertTrue(Files.size(first.report().resolveSibling("precision-recall.png")) > 1000);
        assertTrue(report.contains("Recall per fraud scenario"), "scenario recall from the ground truth");
        assertEquals(first.rows().get("holdout"),
                spark.read().format("delta").load(FileLocations.of(first.predictions())).count());

        // The published folder is complete and loadable by the scorer's rules.
        Path folder = FileLocations.path(first.modelFolder());
        ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(folder.resolve(ModelManifest.FILE)));
        assertTrue(Files.exists(folder.resolve("_PUBLISHED")));
        assertEquals(first.metrics().get("average_precision"), manifest.metrics().get("average_precision"));
        assertTrue(manifest.declineThreshold() >= manifest.reviewThreshold());
        TreeModel.parseXgboostJson(Files.readAllBytes(folder.resolve(manifest.boosterFile())));

        // Compared with the champion on the same holdout (a wide tolerance: row order may vary between runs).
        TrainingRun.Outcome second = run(lake, tmp, null, Map.of("gate.ap_tolerance", "1")).run(d);
        assertTrue(second.gateReason().contains("champion " + first.version()), second.gateReason());
        assertFalse(second.championMetrics().isEmpty());
        assertTrue(second.promoted(), second.gateReason());

        TrainingRun.Outcome crippled = run(lake, tmp, null, Map.of("xgb.num_round", "1", "xgb.max_depth", "1",
                "xgb.subsample", "0.1", "gate.ap_tolerance", "0")).run(d);
        assertFalse(crippled.promoted(), crippled.gateReason());
        assertNull(crippled.modelFolder());
        assertTrue(crippled.gateReason().contains("the champion is kept"), crippled.gateReason());

        List<ConsumerRecord<String, byte[]>> updates = RealKafka.readAll(modelUpdates, 2, Duration.ofSeconds(20));
        assertEquals(2, updates.size());
        ModelUpdate last = ModelUpdateCodec.INSTANCE.decode(updates.get(1).value()).value();
        assertEquals(second.version(), last.version());
        assertEquals("it", updates.get(1).key());

        // The champion's folder is gone (a wiped store): no scorer can load it, so the next candidate
        // cannot be compared with it; the gate says so and the line gets a loadable champion again.
        deleteTree(FileLocations.path(second.modelFolder()));
        TrainingRun.Outcome orphaned = run(lake, tmp, null, Map.of()).run(d);
        assertTrue(orphaned.gateReason().contains("champion " + second.version() + " cannot be loaded"),
                orphaned.gateReason());
        assertTrue(orphaned.promoted(), orphaned.gateReason());
        assertEquals(3, RealKafka.readAll(modelUpdates, 3, Duration.ofSeconds(20)).size());
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
