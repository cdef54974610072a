package dev.vigil.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds small models in XGBoost's JSON format by hand: for tests that must know every node, and for
 * the chaos suite's stand-in champion (a serving model whose provenance does not matter).
 */
public final class XgboostJson {
    private XgboostJson() {
    }

    /** One tree: parallel arrays exactly as XGBoost writes them. */
    public record Tree(int[] left, int[] right, int[] feature, float[] split, int[] defaultLeft, float[] hessian) {
    }

    /** One tree over the amount: 500 or more scores ~0.98 (DECLINE), 50..500 ~0.6 (REVIEW), less ~0.01. */
    public static byte[] amountModel() {
        float big = (float) Math.log1p(500), medium = (float) Math.log1p(50);
        int amount = dev.vigil.core.feature.Feature.AMOUNT_LOG.ordinal();
        Tree t = new Tree(new int[]{1, 3, -1, -1, -1}, new int[]{2, 4, -1, -1, -1}, new int[]{amount, amount, 0, 0, 0},
                new float[]{big, medium, 6f, -2.5f, 2.6f}, new int[]{1, 1, 0, 0, 0}, new float[]{10, 8, 2, 5, 3});
        return model(dev.vigil.core.feature.FeatureSet.SIZE, 0.1f, List.of(t));
    }

    public static byte[] model(int numFeatures, float baseScore, List<Tree> trees) {
        String treeJson = trees.stream().map(t -> String.format(
                "{\"base_weights\":%s,\"categories\":[],\"categories_nodes\":[],\"categories_segments\":[],"
                        + "\"categories_sizes\":[],\"default_left\":%s,\"id\":0,\"left_children\":%s,\"loss_changes\":%s,"
                        + "\"parents\":%s,\"right_children\":%s,\"split_conditions\":%s,\"split_indices\":%s,"
                        + "\"split_type\":%s,\"sum_hessian\":%s,\"tree_param\":{\"num_deleted\":\"0\",\"num_feature\":\"%d\","
                        + "\"num_nodes\":\"%d\",\"size_leaf_vector\":\"1\"}}",
                floats(t.split), ints(t.defaultLeft), ints(t.left), floats(new float[t.left.length]),
                ints(new int[t.left.length]), ints(t.right), floats(t.split), ints(t.feature),
                ints(new int[t.left.length]), floats(t.hessian), numFeatures, t.left.length))
                .collect(Collectors.joining(","));
        String json = "{\"learner\":{\"attributes\":{},\"feature_names\":[],\"feature_types\":[],"
                + "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\",\"num_trees\":\""
                + trees.size() + "\"},\"iteration_indptr\":[],\"tree_info\":[],\"trees\":[" + treeJson + "]},\"name\":\"gbtree\"},"
                + "\"learner_model_param\":{\"base_score\":\"[" + baseScore + "]\",\"boost_from_average\":\"1\","
                + "\"num_class\":\"0\",\"num_feature\":\"" + numFeatures + "\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"binary:logistic\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"}}},"
                + "\"version\":[3,1,1]}";
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String ints(int[] a) {
        return java.util.Arrays.toString(a).replace(" ", "");
    }

    private static String floats(float[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ",").append(Float.toString(a[i]));
        }
        return b.append(']').toString();
    }
}
