package dev.vigil.realtimescoring.model;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.HashMap;
import java.util.Map;

/** XGBoost 3.1.1's own Booster: trains test models and is the oracle the evaluator must match. */
public final class XgboostOracle {
    private XgboostOracle() {
    }

    public static DMatrix matrix(float[][] rows, float[] labels) throws XGBoostError {
        int cols = rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        DMatrix m = new DMatrix(flat, rows.length, cols, Float.NaN);
        if (labels != null) {
            m.setLabel(labels);
        }
        return m;
    }

    public static Booster train(float[][] rows, float[] labels, int trees, int depth, long seed) throws XGBoostError {
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", depth);
        params.put("eta", 0.1);
        params.put("subsample", 0.8);
        params.put("colsample_bytree", 0.8);
        params.put("tree_method", "hist");
        params.put("nthread", 1);
        params.put("seed", seed);
        params.put("eval_metric", "aucpr");
        return XGBoost.train(matrix(rows, labels), params, trees, new HashMap<>(), null, null);
    }

    /** The model in XGBoost's JSON format, as batch-training publishes it. */
    public static byte[] json(Booster booster) throws XGBoostError {
        return booster.toByteArray("json");
    }

    public static float[] predict(Booster booster, float[][] rows) throws XGBoostError {
        float[][] out = booster.predict(matrix(rows, null));
        float[] p = new float[out.length];
        for (int i = 0; i < out.length; i++) {
            p[i] = out[i][0];
        }
        return p;
    }
}
