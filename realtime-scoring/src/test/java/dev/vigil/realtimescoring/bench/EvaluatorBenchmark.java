package dev.vigil.realtimescoring.bench;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.TreeModel;
import dev.vigil.realtimescoring.model.GeneratedFeatures;
import dev.vigil.realtimescoring.model.XgboostOracle;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One score, per row, as the hot path needs it: the in-process evaluator against XGBoost's
 * Booster (JNI, one-row DMatrix) on the same 300-tree, depth-6 model. Run: {@code ./vigil bench scoring}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class EvaluatorBenchmark {
    private float[][] rows;
    private TreeModel evaluator;
    private Booster booster;
    private final float[] contributions = new float[FeatureSet.SIZE];
    private int next;

    @Setup
    public void train() throws Exception {
        GeneratedFeatures data = GeneratedFeatures.of(21, 1_500, 6, 30.0);
        booster = XgboostOracle.train(data.vectors(), data.labels(), 300, 6, 1);
        evaluator = TreeModel.parseXgboostJson(XgboostOracle.json(booster));
        rows = data.vectors();
        if (evaluator.numTrees() != 300) {
            throw new IllegalStateException("expected 300 trees, got " + evaluator.numTrees());
        }
    }

    private float[] row() {
        float[] r = rows[next];
        next = next + 1 == rows.length ? 0 : next + 1;
        return r;
    }

    @Benchmark
    public float evaluator() {
        return evaluator.predict(row());
    }

    @Benchmark
    public float evaluatorWithReasons() {
        java.util.Arrays.fill(contributions, 0f);
        return evaluator.predict(row(), contributions);
    }

    @Benchmark
    public float booster() throws XGBoostError {
        DMatrix m = new DMatrix(row(), 1, FeatureSet.SIZE, Float.NaN);
        try {
            return booster.predict(m)[0][0];
        } finally {
            m.dispose();
        }
    }
}
