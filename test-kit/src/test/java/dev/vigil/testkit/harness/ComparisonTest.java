package dev.vigil.testkit.harness;

import dev.vigil.core.json.JsonTree;
import dev.vigil.testkit.measure.ProcessCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {

    private static Result run(String engine, double p99, double cores, long decisions) {
        return run(engine, p99, cores, decisions, 0);
    }

    private static Result run(String engine, double p99, double cores, long decisions, long missing) {
        double[] curve = new double[Result.CURVE.length];
        for (int i = 0; i < curve.length; i++) {
            curve[i] = p99 * (i + 1) / curve.length;
        }
        Resources res = new Resources(60, Map.of(Resources.ENGINE, new ProcessCpu.Usage(cores * 60, cores)), decisions,
                null, null, 100.0, 99.0);
        return new Result(engine, "steady", 1000, 999, 60, 20, 250, p99 / 4, p99 / 2, p99, p99 * 2, p99 * 3, 60_000, 60_000,
                missing, 0, 100, 0, 0, curve, List.of(new double[]{1, p99 / 4, p99, p99 * 3, 1000}), res);
    }

    @Test
    void readsEachEnginesReportAndPutsThemSideBySide(@TempDir Path dir) throws Exception {
        Path flink = dir.resolve("flink"), spark = dir.resolve("spark");
        List<Result> flinkRuns = List.of(run("flink", 30, 0.5, 60_000), run("flink", 40, 0.5, 60_000), run("flink", 35, 0.5, 60_000, 7));
        Reports.write(flink, Result.median(flinkRuns), flinkRuns, null, "./vigil loadtest --engine flink");
        Reports.write(spark, run("spark", 1200, 0.9, 60_000), List.of(run("spark", 1200, 0.9, 60_000)), null, "spark");
        Map<String, Path> runs = new LinkedHashMap<>();
        runs.put("Flink, patterns off", flink);
        runs.put("Spark micro-batches", spark);

        List<Comparison.Entry> entries = Comparison.write(dir.resolve("compare"), runs, "./vigil loadtest --compare");

        assertEquals(List.of(30.0, 40.0, 35.0), entries.get(0).eachP99());
        assertEquals(35.0, entries.get(0).number("p99_ms"), "the median of three runs");
        assertEquals(0.0, entries.get(0).number("missing"), "the median run lost nothing ...");
        assertEquals(7.0, entries.get(0).worst("missing"), "... and the worst run's loss is still shown");
        assertEquals(0.5, entries.get(0).engineCores());
        assertEquals(500.0, entries.get(0).number("engine_cpu_us_per_decision"), "0.5 cores over 60 s for 60,000 decisions");
        assertEquals(Result.CURVE.length, entries.get(1).column("percentile_curve", "latency_ms").length);
        assertEquals(1, entries.get(1).rows("over_time", "rows").size());
        String html = Files.readString(dir.resolve("compare/report.html"));
        assertTrue(html.contains("Flink, patterns off") && html.contains("Spark micro-batches") && html.contains("30, 40, 35"), html);
        Map<String, Object> json = JsonTree.object(JsonTree.parse(Files.readAllBytes(dir.resolve("compare/report.json"))), "");
        assertEquals(2, JsonTree.array(json, "engines").size());
    }
}
