package dev.vigil.core.model;

import dev.vigil.core.json.JsonTree;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An XGBoost binary:logistic gbtree model evaluated in process, as XGBoost 3.1 does it: a row goes
 * left when {@code x < split} (float compare), a missing value (NaN) follows the node's default
 * direction, leaf values are summed in float32 onto the base margin, and the probability is the
 * float32 sigmoid of the margin. Exact parity with the Booster is tested in realtime-scoring.
 *
 * <p>Trees are flattened into arrays (one node index space) so that evaluation allocates nothing
 * and walks contiguous memory. Immutable and thread-safe.
 */
public final class TreeModel {
    private final int numFeatures;
    private final float baseMargin;
    private final int[] roots;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] split;
    private final boolean[] defaultLeft;
    /** Node mean value: the leaf value at leaves, the cover-weighted mean of its leaves inside. */
    private final float[] weight;

    private TreeModel(int numFeatures, float baseMargin, int[] roots, int[] left, int[] right, int[] feature,
                      float[] split, boolean[] defaultLeft, float[] weight) {
        this.numFeatures = numFeatures;
        this.baseMargin = baseMargin;
        this.roots = roots;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.split = split;
        this.defaultLeft = defaultLeft;
        this.weight = weight;
    }

    /** Parses XGBoost's JSON model format (as written by {@code Booster.saveModel("model.json")}). */
    public static TreeModel parseXgboostJson(byte[] json) throws IOException {
        Map<String, Object> root = JsonTree.object(JsonTree.parse(json), "model");
        Map<String, Object> learner = JsonTree.object(root, "learner");
        Map<String, Object> params = JsonTree.object(learner, "learner_model_param");
        String objective = JsonTree.string(JsonTree.object(learner, "objective"), "name");
        if (!objective.equals("binary:logistic")) {
            throw new IOException("objective " + objective + " is not supported (binary:logistic only)");
        }
        if ((int) JsonTree.number(params, "num_class") > 1) {
            throw new IOException("multi-class models are not supported");
        }
        int numFeatures = (int) JsonTree.number(params, "num_feature");
        float baseScore = (float) JsonTree.number(params, "base_score");
        if (!(baseScore > 0 && baseScore < 1)) {
            throw new IOException("base_score must be a probability, is " + baseScore);
        }
        Map<String, Object> booster = JsonTree.object(learner, "gradient_booster");
        String name = JsonTree.string(booster, "name");
        if (!name.equals("gbtree")) {
            throw new IOException("booster " + name + " is not supported (gbtree only)");
        }
        List<Object> trees = JsonTree.array(JsonTree.object(booster, "model"), "trees");
        int total = 0;
        for (Object t : trees) {
            total += JsonTree.array(JsonTree.object(t, "tree"), "left_children").size();
        }
        int[] roots = new int[trees.size()];
        int[] left = new int[total], right = new int[total], feature = new int[total];
        float[] split = new float[total], weight = new float[total];
        boolean[] defaultLeft = new boolean[total];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            Map<String, Object> tree = JsonTree.object(trees.get(t), "tree");
            List<Object> l = JsonTree.array(tree, "left_children"), r = JsonTree.array(tree, "right_children"),
                    f = JsonTree.array(tree, "split_indices"), s = JsonTree.array(tree, "split_conditions"),
                    d = JsonTree.array(tree, "default_left"), w = JsonTree.array(tree, "sum_hessian");
            List<Object> types = tree.containsKey("split_type") ? JsonTree.array(tree, "split_type") : List.of();
            int n = l.size();
            double[] cover = new double[n];
            if (r.size() != n || f.size() != n || s.size() != n || d.size() != n || w.size() != n) {
                throw new IOException("tree " + t + " has arrays of different lengths");
            }
            roots[t] = offset;
            for (int i = 0; i < n; i++) {
                int li = ((Number) l.get(i)).intValue(), ri = ((Number) r.get(i)).intValue();
                if (!types.isEmpty() && ((Number) types.get(i)).intValue() != 0) {
                    throw new IOException("categorical splits are not supported");
                }
                boolean leaf = li == -1;
                if (!leaf && (li <= i || ri <= i || li >= n || ri >= n)) {
                    throw new IOException("tree " + t + " node " + i + " has children out of order");
                }
                int fi = ((Number) f.get(i)).intValue();
                if (!leaf && (fi < 0 || fi >= numFeatures)) {
                    throw new IOException("tree " + t + " splits on feature " + fi + " of " + numFeatures);
                }
                left[offset + i] = leaf ? -1 : offset + li;
                right[offset + i] = leaf ? -1 : offset + ri;
                feature[offset + i] = fi;
                split[offset + i] = ((Number) s.get(i)).floatValue();
                Object dl = d.get(i);
                defaultLeft[offset + i] = dl instanceof Boolean b ? b : ((Number) dl).intValue() != 0;
                cover[i] = ((Number) w.get(i)).doubleValue();
            }
            // Children come after parents, so one backward pass fills every node's mean value.
            double[] mean = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                int li = left[offset + i] - offset, ri = right[offset + i] - offset;
                if (left[offset + i] == -1) {
                    mean[i] = split[offset + i];
                } else {
                    double c = cover[li] + cover[ri];
                    mean[i] = c > 0 ? (mean[li] * cover[li] + mean[ri] * cover[ri]) / c : (mean[li] + mean[ri]) / 2;
                }
                weight[offset + i] = (float) mean[i];
            }
            offset += n;
        }
        // XGBoost turns the probability base score into a margin in float: -log(1/p - 1).
        float baseMargin = (float) -Math.log(1.0f / baseScore - 1.0f);
        return new TreeModel(numFeatures, baseMargin, roots, left, right, feature, split, defaultLeft, weight);
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int numTrees() {
        return roots.length;
    }

    /** The raw margin (log-odds) of a row. */
    public float margin(float[] x) {
        float sum = baseMargin;
        for (int root : roots) {
            int node = root;
            while (left[node] != -1) {
                float v = x[feature[node]];
                node = Float.isNaN(v) ? (defaultLeft[node] ? left[node] : right[node])
                        : (v < split[node] ? left[node] : right[node]);
            }
            sum += split[node]; // at a leaf, split_conditions holds the leaf value
        }
        return sum;
    }

    /** The probability of fraud: the float32 sigmoid of the margin. */
    public float predict(float[] x) {
        return sigmoid(margin(x));
    }

    /**
     * The probability, and each feature's contribution to the margin along the row's paths
     * (Saabas: the change in node value at each split), added into {@code contributions}.
     * Used for reason codes: the features that pushed the score most.
     */
    public float predict(float[] x, float[] contributions) {
        float sum = baseMargin;
        for (int root : roots) {
            int node = root;
            while (left[node] != -1) {
                float v = x[feature[node]];
                int next = Float.isNaN(v) ? (defaultLeft[node] ? left[node] : right[node])
                        : (v < split[node] ? left[node] : right[node]);
                contributions[feature[node]] += weight[next] - weight[node];
                node = next;
            }
            sum += split[node];
        }
        return sigmoid(sum);
    }

    static float sigmoid(float margin) {
        return 1.0f / (1.0f + (float) Math.exp(-margin));
    }
}
