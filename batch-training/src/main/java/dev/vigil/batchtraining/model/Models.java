package dev.vigil.batchtraining.model;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.TreeModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassificationModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostClassifier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.List;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

/**
 * The candidate (XGBoost, trained distributed with xgboost4j-spark) and the baseline (MLlib
 * logistic regression). Holdout scores of any booster are computed with core's {@link TreeModel},
 * the evaluator the scoring job serves with, so the metrics are those of the model as served.
 */
public final class Models {

    private Models() {
    }

    /** One float column per feature, named as the feature set names them. */
    public static Dataset<Row> featureColumns(Dataset<Row> rows) {
        Column[] cols = new Column[FeatureSet.NAMES.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = col("features").getItem(i).as(FeatureSet.NAMES.get(i));
        }
        Column[] all = new Column[cols.length + 1];
        all[0] = col("*");
        System.arraycopy(cols, 0, all, 1, cols.length);
        return rows.select(all);
    }

    /** Trains XGBoost and returns the booster as XGBoost JSON (what the evaluator and the Booster load). */
    public static byte[] xgboost(Dataset<Row> train, TrainingConfig c, long positives, long negatives) {
        XGBoostClassifier x = new XGBoostClassifier();
        x.setFeaturesCol(FeatureSet.NAMES.toArray(String[]::new));
        x.setLabelCol("label");
        x.setObjective("binary:logistic");
        x.setVerbosity(0); // no per-round log lines; the holdout evaluation is ours
        x.setTreeMethod("hist");
        x.setMissing(Float.NaN);
        x.setNumRound(c.integer("xgb.num_round"));
        x.setMaxDepth(c.integer("xgb.max_depth"));
        x.setEta(c.number("xgb.eta"));
        x.setMinChildWeight(c.number("xgb.min_child_weight"));
        x.setSubsample(c.number("xgb.subsample"));
        x.setColsampleBytree(c.number("xgb.colsample_bytree"));
        x.setLambda(c.number("xgb.lambda"));
        x.setNumWorkers(c.integer("xgb.num_workers"));
        x.setNthread(c.integer("xgb.nthread"));
        x.setSeed(c.integer("xgb.seed"));
        x.setScalePosWeight(balance(c.text("xgb.balance"), positives, negatives));
        XGBoostClassificationModel model = (XGBoostClassificationModel) x.fit(featureColumns(train));
        try {
            return model.nativeBooster().toByteArray("json");
        } catch (Exception e) {
            throw new IllegalStateException("exporting the trained booster failed", e);
        }
    }

    static double balance(String how, long positives, long negatives) {
        double ratio = positives == 0 ? 1 : (double) negatives / positives;
        return switch (how) {
            case "none" -> 1;
            case "ratio" -> ratio;
            case "sqrt" -> Math.sqrt(ratio);
            default -> throw new IllegalArgumentException("xgb.balance is none, ratio or sqrt, not " + how);
        };
    }

    /** Adds column {@code name}: the booster's score for each row's feature vector. */
    public static Dataset<Row> scoreWithBooster(Dataset<Row> rows, byte[] boosterJson, String name) {
        StructType schema = rows.schema().add(name, DataTypes.DoubleType, false);
        int features = rows.schema().fieldIndex("features");
        MapPartitionsFunction<Row, Row> score = it -> {
            TreeModel model = TreeModel.parseXgboostJson(boosterJson);
            float[] v = FeatureSet.newVector();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Row next() {
                    Row r = it.next();
                    copyFeatures(r, features, v);
                    Object[] values = new Object[r.size() + 1];
                    for (int i = 0; i < r.size(); i++) {
                        values[i] = r.get(i);
                    }
                    values[r.size()] = (double) model.predict(v);
                    return RowFactory.create(values);
                }
            };
        };
        return rows.mapPartitions(score, Encoders.row(schema));
    }

    /** Copies the row's feature array (at {@code column}) into {@code into}, the evaluator's input. */
    static void copyFeatures(Row r, int column, float[] into) {
        List<Float> f = r.getList(column);
        for (int i = 0; i < into.length; i++) {
            into[i] = f.get(i);
        }
    }

    /**
     * Logistic regression on the same features, missing values as 0. Frauds weigh sqrt(negatives /
     * positives) whatever xgb.balance says: without a weight the regression barely moves off the
     * majority class, and the baseline should stay the same while the candidate's settings change.
     */
    public static LogisticRegressionModel baseline(Dataset<Row> train, TrainingConfig c, long positives, long negatives) {
        double fraudWeight = balance("sqrt", positives, negatives);
        Dataset<Row> prepared = assemble(train).withColumn("_weight",
                org.apache.spark.sql.functions.when(col("label").equalTo(1.0), fraudWeight).otherwise(1.0));
        return new LogisticRegression().setFeaturesCol("_vector").setLabelCol("label").setWeightCol("_weight")
                .setMaxIter(c.integer("baseline.max_iter")).setRegParam(c.number("baseline.reg_param"))
                .fit(prepared);
    }

    /** Adds column {@code name}: the baseline's fraud probability. */
    public static Dataset<Row> scoreWithBaseline(Dataset<Row> rows, LogisticRegressionModel model, String name) {
        Dataset<Row> scored = model.setProbabilityCol("_probability").setPredictionCol("_prediction")
                .setRawPredictionCol("_raw").transform(assemble(rows));
        return scored.withColumn(name, vector_to_array(col("_probability"), "float64").getItem(1))
                .drop("_vector", "_probability", "_prediction", "_raw");
    }

    private static Dataset<Row> assemble(Dataset<Row> rows) {
        Dataset<Row> withColumns = featureColumns(rows).na().fill(0.0, FeatureSet.NAMES.toArray(String[]::new));
        Dataset<Row> assembled = new VectorAssembler().setInputCols(FeatureSet.NAMES.toArray(String[]::new))
                .setOutputCol("_vector").transform(withColumns);
        return assembled.drop(FeatureSet.NAMES.toArray(String[]::new));
    }
}
