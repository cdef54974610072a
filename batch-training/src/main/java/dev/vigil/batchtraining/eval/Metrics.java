package dev.vigil.batchtraining.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holdout metrics on (score, label) pairs, computed here rather than by a library so every number
 * in a report can be recomputed from the predictions table with these definitions:
 * <ul>
 *   <li>{@code average_precision}: the step-wise area under the precision-recall curve, Σ (R_k − R_{k−1}) P_k
 *       over distinct score thresholds, highest first (equal scores form one step);</li>
 *   <li>{@code roc_auc}: the probability that a random fraud scores above a random legitimate
 *       authorization (ties count half);</li>
 *   <li>{@code recall_at_1pct_fpr}: the largest recall at a threshold whose false-positive rate is at most 1 %;</li>
 *   <li>{@code card_precision_at_k}: per day, the k cards with the highest score that day, cards
 *       defrauded on an earlier day left out; the share of them with a fraud that day; averaged over days.</li>
 * </ul>
 */
public final class Metrics {

    private Metrics() {
    }

    /** One scored holdout authorization. */
    public record Scored(double score, boolean fraud, long day, String card) {
    }

    /** Row indexes, highest score first. */
    static Integer[] byScoreDescending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }

    public static double averagePrecision(double[] scores, boolean[] fraud) {
        long positives = count(fraud);
        if (positives == 0) {
            return Double.NaN;
        }
        Integer[] order = byScoreDescending(scores);
        double ap = 0, previousRecall = 0;
        long tp = 0, seen = 0;
        for (int k = 0; k < order.length; ) {
            double s = scores[order[k]];
            while (k < order.length && scores[order[k]] == s) {
                tp += fraud[order[k]] ? 1 : 0;
                seen++;
                k++;
            }
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * ((double) tp / seen);
            previousRecall = recall;
        }
        return ap;
    }

    public static double rocAuc(double[] scores, boolean[] fraud) {
        long positives = count(fraud), negatives = fraud.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = byScoreDescending(scores);
        // Walk from the lowest score: each fraud beats every legitimate one below it, ties half.
        double wins = 0;
        long negativesBelow = 0;
        for (int k = order.length - 1; k >= 0; ) {
            double s = scores[order[k]];
            long pos = 0, neg = 0;
            while (k >= 0 && scores[order[k]] == s) {
                if (fraud[order[k]]) {
                    pos++;
                } else {
                    neg++;
                }
                k--;
            }
            wins += pos * (negativesBelow + neg / 2.0);
            negativesBelow += neg;
        }
        return wins / ((double) positives * negatives);
    }

    public static double recallAtFpr(double[] scores, boolean[] fraud, double maxFpr) {
        long positives = count(fraud), negatives = fraud.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = byScoreDescending(scores);
        long tp = 0, fp = 0;
        double best = 0;
        for (int k = 0; k < order.length; ) {
            double s = scores[order[k]];
            while (k < order.length && scores[order[k]] == s) {
                if (fraud[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
                k++;
            }
            if ((double) fp / negatives <= maxFpr) {
                best = (double) tp / positives;
            } else {
                break;
            }
        }
        return best;
    }

    /** The mean of {@link #cardPrecisionAtKPerDay} over the days. */
    public static double cardPrecisionAtK(List<Scored> rows, int k) {
        Map<Long, Double> perDay = cardPrecisionAtKPerDay(rows, k);
        return perDay.isEmpty() ? Double.NaN
                : perDay.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * Per day (oldest first): the k cards with the highest score that day, and the share of them with
     * a fraud that day. A card defrauded on an earlier day is left out of later days: it is known
     * compromised (blocked and reissued), so ranking it again would flatter the model. A day whose
     * cards are all known compromised has no value.
     */
    public static java.util.SortedMap<Long, Double> cardPrecisionAtKPerDay(List<Scored> rows, int k) {
        java.util.SortedMap<Long, Map<String, double[]>> byDay = new java.util.TreeMap<>();
        for (Scored r : rows) {
            double[] cell = byDay.computeIfAbsent(r.day(), d -> new HashMap<>()).computeIfAbsent(r.card(), c -> new double[]{-1, 0});
            cell[0] = Math.max(cell[0], r.score());
            cell[1] = Math.max(cell[1], r.fraud() ? 1 : 0);
        }
        java.util.Set<String> compromised = new java.util.HashSet<>();
        java.util.SortedMap<Long, Double> out = new java.util.TreeMap<>();
        for (Map.Entry<Long, Map<String, double[]>> day : byDay.entrySet()) {
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>();
            for (Map.Entry<String, double[]> e : day.getValue().entrySet()) {
                if (!compromised.contains(e.getKey())) {
                    ranked.add(e);
                }
            }
            ranked.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> e.getValue()[0]).reversed()
                    .thenComparing(Map.Entry::getKey));
            int n = Math.min(k, ranked.size());
            if (n > 0) {
                double hits = 0;
                for (int i = 0; i < n; i++) {
                    hits += ranked.get(i).getValue()[1];
                }
                out.put(day.getKey(), hits / n);
            }
            day.getValue().forEach((card, cell) -> {
                if (cell[1] > 0) {
                    compromised.add(card);
                }
            });
        }
        return out;
    }

    /** The score at or above which {@code rate} of the authorizations fall (for a target alert rate). */
    public static double thresholdForRate(double[] scores, double rate) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int index = (int) Math.floor(sorted.length * (1 - rate));
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public static double shareAtOrAbove(double[] scores, double threshold) {
        long n = 0;
        for (double s : scores) {
            n += s >= threshold ? 1 : 0;
        }
        return scores.length == 0 ? Double.NaN : (double) n / scores.length;
    }

    /** The manifest's metric keys for one model's scores. */
    public static Map<String, Double> summary(List<Scored> rows, int k) {
        double[] scores = rows.stream().mapToDouble(Scored::score).toArray();
        boolean[] fraud = new boolean[rows.size()];
        for (int i = 0; i < fraud.length; i++) {
            fraud[i] = rows.get(i).fraud();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("average_precision", averagePrecision(scores, fraud));
        m.put("roc_auc", rocAuc(scores, fraud));
        m.put("recall_at_1pct_fpr", recallAtFpr(scores, fraud, 0.01));
        m.put("card_precision_at_k", cardPrecisionAtK(rows, k));
        return m;
    }

    private static long count(boolean[] fraud) {
        long n = 0;
        for (boolean f : fraud) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
