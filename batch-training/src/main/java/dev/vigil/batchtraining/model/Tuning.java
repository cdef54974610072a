package dev.vigil.batchtraining.model;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.TreeModel;
import dev.vigil.batchtraining.eval.Metrics;
import dev.vigil.batchtraining.set.Windows;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Chooses XGBoost's depth, learning rate, min_child_weight and rounds on a time-ordered validation
 * fold inside the training window ({@link Windows#tuning}), never on the holdout. Each (depth, eta,
 * min_child_weight) is fitted once with the most rounds on the grid; every smaller round count is
 * read from the same booster's first trees ({@link TreeModel#marginsAfter}), which is what a fit of
 * that many rounds gives (boosting adds trees, it never revisits them). The winner has the highest
 * validation average precision; ties keep the earlier, simpler candidate on the grid.
 */
public final class Tuning {

    /** One point of the grid and its validation average precision. */
    public record Candidate(int maxDepth, double eta, double minChildWeight, int rounds, double validationAp) {
        Map<String, String> settings() {
            return Map.of("xgb.max_depth", Integer.toString(maxDepth), "xgb.eta", Double.toString(eta),
                    "xgb.min_child_weight", Double.toString(minChildWeight), "xgb.num_round", Integer.toString(rounds));
        }
    }

    /**
     * What training uses: the settings, how they were chosen, and every candidate tried (empty when
     * the configured defaults were used).
     */
    public record Choice(Map<String, String> settings, String how, List<Candidate> tried) {
        /** The settings as the manifest and report record them (xgb. prefix dropped). */
        public Map<String, String> recorded() {
            Map<String, String> out = new LinkedHashMap<>();
            settings.forEach((k, v) -> out.put(k.replaceFirst("^xgb\\.", ""), v));
            out.put("chosen_by", how);
            return out;
        }
    }

    private Tuning() {
    }

    /** The configured settings, untouched: tuning is off or there is too little history. */
    public static Choice defaults(TrainingConfig c, String why) {
        Map<String, String> s = new LinkedHashMap<>();
        for (String k : List.of("xgb.max_depth", "xgb.eta", "xgb.min_child_weight", "xgb.num_round")) {
            s.put(k, c.text(k));
        }
        return new Choice(s, why, List.of());
    }

    /**
     * Fits every grid point on {@code fit} and scores {@code validation} (labelled rows of the
     * tuning windows {@code w}); returns the best.
     */
    public static Choice choose(Dataset<Row> fit, Dataset<Row> validation, Windows w, TrainingConfig c,
                                long positives, long negatives, Consumer<String> progress) {
        int[] rounds = c.list("tune.num_round").stream().mapToInt(Integer::parseInt).sorted().toArray();
        List<Candidate> tried = new ArrayList<>();
        Candidate best = null;
        int fits = c.list("tune.max_depth").size() * c.list("tune.eta").size() * c.list("tune.min_child_weight").size();
        int done = 0;
        for (String depth : c.list("tune.max_depth")) {
            for (String eta : c.list("tune.eta")) {
                for (String mcw : c.list("tune.min_child_weight")) {
                    TrainingConfig trial = c.with(Map.of("xgb.max_depth", depth, "xgb.eta", eta,
                            "xgb.min_child_weight", mcw, "xgb.num_round", Integer.toString(rounds[rounds.length - 1])));
                    byte[] booster = Models.xgboost(fit, trial, positives, negatives);
                    double[] aps = averagePrecisionAfter(validation, booster, rounds);
                    for (int i = 0; i < rounds.length; i++) {
                        Candidate k = new Candidate(Integer.parseInt(depth), Double.parseDouble(eta),
                                Double.parseDouble(mcw), rounds[i], aps[i]);
                        tried.add(k);
                        if (best == null || k.validationAp() > best.validationAp()) {
                            best = k;
                        }
                    }
                    done++;
                    progress.accept(String.format(java.util.Locale.ROOT,
                            "tuning %d/%d: depth %s, eta %s, min_child_weight %s: validation AP %s at rounds %s",
                            done, fits, depth, eta, mcw, format(aps), java.util.Arrays.toString(rounds)));
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("the tuning grid is empty");
        }
        String how = String.format(java.util.Locale.ROOT,
                "highest validation average precision (%.4f) of %d candidates; fit %s..%s, validated on %s..%s "
                        + "with labels known at %s", best.validationAp(), tried.size(), w.trainFrom(), w.trainTo(),
                w.holdoutFrom(), w.holdoutTo(), w.holdoutLabelsKnownAt());
        Map<String, String> settings = new LinkedHashMap<>(new java.util.TreeMap<>(best.settings()));
        return new Choice(settings, how, tried);
    }

    /** The validation average precision after each round count, from one booster. */
    static double[] averagePrecisionAfter(Dataset<Row> validation, byte[] boosterJson, int[] rounds) {
        StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
                .add("margins", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        int features = validation.schema().fieldIndex("features");
        int label = validation.schema().fieldIndex("label");
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
                    Models.copyFeatures(r, features, v);
                    float[] m = new float[rounds.length];
                    model.marginsAfter(v, rounds, m);
                    List<Float> margins = new ArrayList<>(m.length);
                    for (float x : m) {
                        margins.add(x);
                    }
                    return RowFactory.create(r.getDouble(label),
                            scala.jdk.javaapi.CollectionConverters.asScala(margins).toSeq());
                }
            };
        };
        List<Row> scored = validation.mapPartitions(score, Encoders.row(schema)).collectAsList();
        boolean[] fraud = new boolean[scored.size()];
        double[][] byRound = new double[rounds.length][scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            Row r = scored.get(i);
            fraud[i] = r.getDouble(0) == 1.0;
            List<Float> m = r.getList(1);
            for (int j = 0; j < rounds.length; j++) {
                byRound[j][i] = m.get(j); // the margin ranks as the probability does
            }
        }
        double[] out = new double[rounds.length];
        for (int j = 0; j < rounds.length; j++) {
            out[j] = Metrics.averagePrecision(byRound[j], fraud);
        }
        return out;
    }

    private static String format(double[] aps) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < aps.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.4f", aps[i]));
        }
        return b.append(']').toString();
    }
}
