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

    // The hot layout: every tree padded to the model's depth D as an implicit heap (node i has
    // children 2i+1 and 2i+2), so a row takes exactly D steps per tree, with no leaf test and no
    // data-dependent branch. A leaf shallower than D becomes a pseudo-node whose whole subtree
    // repeats its value. Inner node word: 63..32 split as float bits, 31..0 index into the row's
    // two copies: [0, n) the features with NaN as -inf (missing goes left), [n, 2n) with NaN as
    // +inf (missing goes right). So "right when x >= split" also sends a missing value its
    // node's default way, and a step needs no NaN test. (Real infinities compare as XGBoost does.)
    static final int MAX_DEPTH = 12;
    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[1][0]);
    private final int depth;
    private final int innerPerTree;
    private final int leavesPerTree;
    private final long[] inner;
    private final float[] leaves;
    /** Mean value of every padded node (inner then leaf level), for contributions. */
    private final float[] innerMean;
    private final int trees;

    private TreeModel(int numFeatures, float baseMargin, int[] roots, int[] left, int[] right, int[] feature,
                      float[] split, boolean[] defaultLeft, float[] mean) throws IOException {
        this.numFeatures = numFeatures;
        this.baseMargin = baseMargin;
        this.trees = roots.length;
        int d = 0;
        for (int root : roots) {
            d = Math.max(d, depthOf(root, left, right));
        }
        if (d > MAX_DEPTH) {
            throw new IOException("trees deeper than " + MAX_DEPTH + " are not supported (found " + d + ")");
        }
        this.depth = d;
        this.leavesPerTree = 1 << d;
        this.innerPerTree = leavesPerTree - 1;
        this.inner = new long[trees * innerPerTree];
        this.innerMean = new float[trees * (innerPerTree + leavesPerTree)];
        this.leaves = new float[trees * leavesPerTree];
        for (int t = 0; t < trees; t++) {
            place(roots[t], 0, 0, t, left, right, feature, split, defaultLeft, mean);
        }
    }

    private static int depthOf(int node, int[] left, int[] right) {
        return left[node] == -1 ? 0 : 1 + Math.max(depthOf(left[node], left, right), depthOf(right[node], left, right));
    }

    /** Puts original node {@code node} at heap position {@code at} (level {@code level}) of tree t. */
    private void place(int node, int at, int level, int t, int[] left, int[] right, int[] feature, float[] split,
                       boolean[] defaultLeft, float[] mean) {
        int meanBase = t * (innerPerTree + leavesPerTree);
        innerMean[meanBase + at] = mean[node];
        if (level == depth) {
            leaves[t * leavesPerTree + at - innerPerTree] = split[node]; // a leaf's split_conditions is its value
            return;
        }
        if (left[node] == -1) {
            // A shallow leaf: both children repeat it, so whichever way a row goes it ends here.
            inner[t * innerPerTree + at] = ((long) Float.floatToRawIntBits(0f)) << 32;
            place(node, 2 * at + 1, level + 1, t, left, right, feature, split, defaultLeft, mean);
            place(node, 2 * at + 2, level + 1, t, left, right, feature, split, defaultLeft, mean);
            return;
        }
        inner[t * innerPerTree + at] = (((long) Float.floatToRawIntBits(split[node])) << 32)
                | (defaultLeft[node] ? feature[node] : numFeatures + feature[node]);
        place(left[node], 2 * at + 1, level + 1, t, left, right, feature, split, defaultLeft, mean);
        place(right[node], 2 * at + 2, level + 1, t, left, right, feature, split, defaultLeft, mean);
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
        return trees;
    }

    /**
     * The raw margin (log-odds) of a row. Eight trees are walked side by side (their independent
     * chains of loads overlap in the CPU); leaf values are added in tree order, as XGBoost does.
     */
    public float margin(float[] features) {
        float[] x = twoWay(features);
        float sum = baseMargin;
        final int stride = innerPerTree;
        int t = 0;
        for (; t + 7 < trees; t += 8) {
            int b0 = t * stride;
            int n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
            for (int level = 0; level < depth; level++) {
                n0 = step(n0, inner[b0 + n0], x);
                n1 = step(n1, inner[b0 + stride + n1], x);
                n2 = step(n2, inner[b0 + 2 * stride + n2], x);
                n3 = step(n3, inner[b0 + 3 * stride + n3], x);
                n4 = step(n4, inner[b0 + 4 * stride + n4], x);
                n5 = step(n5, inner[b0 + 5 * stride + n5], x);
                n6 = step(n6, inner[b0 + 6 * stride + n6], x);
                n7 = step(n7, inner[b0 + 7 * stride + n7], x);
            }
            int lb = t * leavesPerTree - innerPerTree, l = leavesPerTree;
            sum += leaves[lb + n0];
            sum += leaves[lb + l + n1];
            sum += leaves[lb + 2 * l + n2];
            sum += leaves[lb + 3 * l + n3];
            sum += leaves[lb + 4 * l + n4];
            sum += leaves[lb + 5 * l + n5];
            sum += leaves[lb + 6 * l + n6];
            sum += leaves[lb + 7 * l + n7];
        }
        for (; t < trees; t++) {
            int base = t * stride, n = 0;
            for (int level = 0; level < depth; level++) {
                n = step(n, inner[base + n], x);
            }
            sum += leaves[t * leavesPerTree - innerPerTree + n];
        }
        return sum;
    }

    /**
     * The margins after the first {@code treeCounts[i]} trees (ascending), into {@code out[i]}: what
     * a booster trained for that many rounds would give. Training's tuning reads every round count
     * it considers from one fit; the serving path never calls this.
     */
    public void marginsAfter(float[] features, int[] treeCounts, float[] out) {
        float[] x = twoWay(features);
        float sum = baseMargin;
        int t = 0;
        for (int i = 0; i < treeCounts.length; i++) {
            int until = Math.min(treeCounts[i], trees);
            for (; t < until; t++) {
                int base = t * innerPerTree, n = 0;
                for (int level = 0; level < depth; level++) {
                    n = step(n, inner[base + n], x);
                }
                sum += leaves[t * leavesPerTree - innerPerTree + n];
            }
            out[i] = sum;
        }
    }

    /** The child: right when {@code x >= split} (on the copy that sends a missing value its default way). */
    private static int step(int node, long w, float[] x) {
        return 2 * node + 1 + (x[(int) w] >= Float.intBitsToFloat((int) (w >>> 32)) ? 1 : 0);
    }

    /** The row twice, NaN as -inf then NaN as +inf, in a per-thread buffer (no allocation per score). */
    private float[] twoWay(float[] features) {
        if (features.length != numFeatures) {
            throw new IllegalArgumentException("expected " + numFeatures + " features, got " + features.length);
        }
        float[][] holder = ROW.get();
        float[] x = holder[0];
        if (x.length < 2 * numFeatures) {
            x = holder[0] = new float[2 * numFeatures];
        }
        for (int f = 0; f < numFeatures; f++) {
            float v = features[f];
            boolean missing = v != v;
            x[f] = missing ? Float.NEGATIVE_INFINITY : v;
            x[numFeatures + f] = missing ? Float.POSITIVE_INFINITY : v;
        }
        return x;
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
    public float predict(float[] features, float[] contributions) {
        float[] x = twoWay(features);
        float sum = baseMargin;
        int nodes = innerPerTree + leavesPerTree;
        for (int t = 0; t < trees; t++) {
            int base = t * innerPerTree, meanBase = t * nodes, n = 0;
            for (int level = 0; level < depth; level++) {
                long w = inner[base + n];
                int next = step(n, w, x);
                contributions[(int) w % numFeatures] += innerMean[meanBase + next] - innerMean[meanBase + n];
                n = next;
            }
            sum += leaves[t * leavesPerTree - innerPerTree + n];
        }
        return sigmoid(sum);
    }

    static float sigmoid(float margin) {
        return 1.0f / (1.0f + (float) Math.exp(-margin));
    }
}
