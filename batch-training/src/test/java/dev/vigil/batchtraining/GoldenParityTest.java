package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.featurelake.HistoryFiles;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.batchtraining.replay.FeatureReplay;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training/serving parity. The golden files were written by the Flink job (realtime-scoring's
 * ScoringJobIT): its input, the feature vector it computed for each authorization and its score.
 * Landing that input (and the labels it consumed) in bronze and replaying it on Spark must give the
 * same vectors, merchant-risk features included, bit for bit,
 * and XGBoost 3.1.1's own Booster must score them as the job did.
 */
class GoldenParityTest {

    @Test
    void theSparkReplayOfTheGoldenInputGivesTheJobsVectorsAndScores(@TempDir Path tmp) throws Exception {
        Path golden = Path.of(System.getProperty("vigil.golden.dir"));
        List<String> input = Files.readAllLines(golden.resolve("authorizations.jsonl"));
        List<String> expected = Files.readAllLines(golden.resolve("features.csv"));
        assertEquals("authorization_id,score," + String.join(",", FeatureSet.NAMES), expected.get(0));
        // One file keeps the job's arrival order as file order.
        HistoryFiles.append(tmp.resolve("history"), "authorizations", LocalDate.EPOCH, input);
        SparkSession spark = SharedSpark.get();
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        assertEquals(input.size(), HistoryLoad.load(spark, lake, BronzeStream.AUTHORIZATIONS, tmp.resolve("history")).inserted());
        // The labels the job consumed: the replay must read each merchant's risk as the job did.
        List<String> labels = Files.readAllLines(golden.resolve("labels.jsonl"));
        HistoryFiles.append(tmp.resolve("history"), "labels", LocalDate.EPOCH, labels);
        assertEquals(labels.size(), HistoryLoad.load(spark, lake, BronzeStream.LABELS, tmp.resolve("history")).inserted());

        List<Row> replayed = FeatureReplay.replay(spark, lake, LocalDate.of(2100, 1, 1), 2).collectAsList();

        Map<String, float[]> byId = new HashMap<>();
        for (Row r : replayed) {
            List<Float> f = r.getList(r.fieldIndex("features"));
            float[] v = new float[f.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.get(i);
            }
            byId.put(r.getAs("authorization_id"), v);
        }
        assertEquals(expected.size() - 1, byId.size());
        Booster booster = XGBoost.loadModel(new ByteArrayInputStream(Files.readAllBytes(golden.resolve("model.json"))));
        float[] flat = new float[(expected.size() - 1) * FeatureSet.SIZE];
        float[] goldenScores = new float[expected.size() - 1];
        // Parity is measured, not only asserted: the share of identical values, and for every
        // feature that disagrees, how often and one example, so a failure says what differs.
        int[] differing = new int[FeatureSet.SIZE];
        String[] example = new String[FeatureSet.SIZE];
        for (int line = 1; line < expected.size(); line++) {
            String[] cells = expected.get(line).split(",");
            float[] v = byId.get(cells[0]);
            for (int i = 0; i < FeatureSet.SIZE; i++) {
                if (!cells[2 + i].equals(Float.toString(v[i]))) {
                    differing[i]++;
                    if (example[i] == null) {
                        example[i] = cells[0] + ": job " + cells[2 + i] + ", replay " + v[i];
                    }
                }
            }
            System.arraycopy(v, 0, flat, (line - 1) * FeatureSet.SIZE, FeatureSet.SIZE);
            goldenScores[line - 1] = Float.parseFloat(cells[1]);
        }
        long values = (long) (expected.size() - 1) * FeatureSet.SIZE;
        long identical = values - Arrays.stream(differing).sum();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "parity, job vs Spark replay: %,d of %,d feature values identical (%.3f %%)",
                identical, values, 100.0 * identical / values));
        for (int i = 0; i < FeatureSet.SIZE; i++) {
            if (differing[i] > 0) {
                report.append(String.format(Locale.ROOT, "%n  %s differs on %d rows, e.g. %s",
                        FeatureSet.NAMES.get(i), differing[i], example[i]));
            }
        }
        System.out.println(report);
        assertEquals(values, identical, report.toString());
        float[][] predicted = booster.predict(new DMatrix(flat, goldenScores.length, FeatureSet.SIZE, Float.NaN));
        for (int i = 0; i < goldenScores.length; i++) {
            assertEquals(goldenScores[i], predicted[i][0], 1e-6, "score of line " + (i + 1));
        }
    }
}
