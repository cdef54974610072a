package dev.vigil.loadtest.shadow;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.FeatureLog;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.JsonTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowReportTest {

    @Test
    void aMismatchIsReportedWithItsFeaturesAndReasons(@TempDir Path dir) throws Exception {
        String card = "tok_aaaaaaaaaaaaaaaa";
        float[] flinkVector = FeatureSet.newVector(), sparkVector = FeatureSet.newVector();
        flinkVector[3] = 0.5f;
        sparkVector[3] = Float.NaN;  // a profile feature Spark has no profile for
        var flink = new ShadowParity.Side(Map.of("a", new Decision("a", card, 0.8f, Action.REVIEW, List.of("WATCH:X"), "m", null,
                1, 1, 0, 0, 0)), Map.of("a", new FeatureLog.Line("a", 0.8f, flinkVector)), 0);
        var spark = new ShadowParity.Side(Map.of("a", new Decision("a", card, 0.3f, Action.APPROVE, List.of(), "m", null,
                1, 1, 0, 0, 0)), Map.of("a", new FeatureLog.Line("a", 0.3f, sparkVector)), 2);
        ShadowParity.Parity p = ShadowParity.compare(List.of("a", "b"), flink, spark);

        ShadowReport.write(dir, p, new ShadowReport.Run("generated", "Flink job", "Spark scorer", "./vigil shadow", 0, null));

        Map<String, Object> r = JsonTree.object(JsonTree.parse(Files.readAllBytes(dir.resolve("report.json"))), "");
        assertEquals(Boolean.FALSE, r.get("at_parity"));
        assertEquals(1.0, JsonTree.number(r, "missing_flink"));
        assertEquals(2.0, JsonTree.number(r, "duplicates_spark"));
        Map<String, Object> example = JsonTree.object(JsonTree.array(r, "action_mismatch_examples").get(0), "example");
        assertEquals(List.of("WATCH:X"), example.get("flink_reasons"));
        Map<String, Object> diff = JsonTree.object(JsonTree.array(example, "features_that_differ").get(0), "diff");
        assertEquals(FeatureSet.NAMES.get(3), diff.get("feature"));
        assertEquals(null, diff.get("spark"), "a missing feature is null in JSON");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("not at parity") && html.contains(FeatureSet.NAMES.get(3)) && html.contains("WATCH:X"));
    }
}
