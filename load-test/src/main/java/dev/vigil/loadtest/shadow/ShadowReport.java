package dev.vigil.loadtest.shadow;

import dev.vigil.testkit.harness.Reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.json and report.html of a shadow run: what each engine missed, how far apart they scored, and why. */
final class ShadowReport {
    private ShadowReport() {
    }

    static final String[] DELTA_LABELS = {"0", "≤ 1e-6", "≤ 1e-4", "≤ 0.01", "≤ 0.1", "> 0.1"};

    /** What the run was: the traffic, the two engines, the command that reproduces it. */
    record Run(String traffic, String flinkEngine, String sparkEngine, String command, long unreadable,
               String firstUnreadable) {
    }

    static void write(Path dir, ShadowParity.Parity p, Run run) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), Reports.json(fields(p, run)) + "\n");
        Files.writeString(dir.resolve("report.html"), html(p, run));
    }

    static Map<String, Object> fields(ShadowParity.Parity p, Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("traffic", run.traffic());
        m.put("flink", run.flinkEngine());
        m.put("spark", run.sparkEngine());
        m.put("command", run.command());
        m.put("at_parity", p.atParity());
        m.put("sent", p.sent());
        m.put("decided_by_both", p.decidedByBoth());
        m.put("missing_flink", p.missingFlink());
        m.put("missing_spark", p.missingSpark());
        m.put("missing_flink_examples", p.missingFlinkIds());
        m.put("missing_spark_examples", p.missingSparkIds());
        m.put("duplicates_flink", p.duplicatesFlink());
        m.put("duplicates_spark", p.duplicatesSpark());
        Map<String, Object> buckets = new LinkedHashMap<>();
        for (int i = 0; i < DELTA_LABELS.length; i++) {
            buckets.put(DELTA_LABELS[i], p.deltaBuckets()[i]);
        }
        m.put("score_delta_buckets", buckets);
        m.put("score_delta_max", p.maxDelta());
        m.put("scored_by_one_side_only", p.oneSideScored());
        m.put("model_version_mismatches", p.modelMismatches());
        m.put("reason_mismatches", p.reasonMismatches());
        m.put("card_profile_version_mismatches", p.profileMismatches());
        m.put("action_mismatches", p.actionMismatches());
        List<Object> actions = new ArrayList<>();
        for (ShadowParity.ActionMismatch a : p.actionExamples()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("authorization_id", a.authorizationId());
            e.put("flink", a.flink().name());
            e.put("spark", a.spark().name());
            e.put("flink_score", score(a.flinkScore()));
            e.put("spark_score", score(a.sparkScore()));
            List<Object> diffs = new ArrayList<>();
            for (ShadowParity.FeatureDiff d : a.features()) {
                Map<String, Object> diff = new LinkedHashMap<>();  // a NaN feature is null: no Map.of
                diff.put("feature", d.feature());
                diff.put("flink", score(d.flink()));
                diff.put("spark", score(d.spark()));
                diffs.add(diff);
            }
            e.put("features_that_differ", diffs);
            e.put("flink_reasons", a.flinkReasons());
            e.put("spark_reasons", a.sparkReasons());
            actions.add(e);
        }
        m.put("action_mismatch_examples", actions);
        m.put("counter_mismatches", p.counterMismatches());
        m.put("cards_with_counter_mismatch", p.cardsWithCounterMismatch());
        List<Object> counters = new ArrayList<>();
        for (ShadowParity.CounterMismatch c : p.counterExamples()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("authorization_id", c.authorizationId());
            e.put("flink_card_auth_count", c.flinkCount());
            e.put("spark_card_auth_count", c.sparkCount());
            e.put("flink_card_last_seq", c.flinkSeq());
            e.put("spark_card_last_seq", c.sparkSeq());
            counters.add(e);
        }
        m.put("counter_mismatch_examples", counters);
        m.put("features_compared", p.featuresCompared());
        m.put("decided_without_feature_lines", p.withoutFeatures());
        m.put("feature_differences", p.featureDiffs());
        Map<String, Object> examples = new LinkedHashMap<>();
        p.featureExamples().forEach((name, e) -> {
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("authorization_id", e.authorizationId());
            ex.put("flink", score(e.flink()));
            ex.put("spark", score(e.spark()));
            examples.put(name, ex);
        });
        m.put("feature_difference_examples", examples);
        m.put("unreadable_records", run.unreadable());
        m.put("generated_at", java.time.Instant.now().toString());
        return m;
    }

    static String html(ShadowParity.Parity p, Run run) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil shadow run</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse;margin:8px 0}")
                .append("td,th{padding:4px 10px;border-bottom:1px solid #dde1ea;text-align:right}th{color:#6b7385}")
                .append("td.l,th.l{text-align:left}.pass{color:#1e7b34;font-weight:600}.fail{color:#b3261e;font-weight:600}")
                .append("code{background:#f1f3f7;padding:2px 4px}</style></head><body>");
        b.append("<h1>Shadow run: ").append(esc(run.flinkEngine())).append(" and ").append(esc(run.sparkEngine()))
                .append("</h1><p><code>").append(esc(run.command())).append("</code></p>");
        b.append("<p>Traffic: ").append(esc(run.traffic())).append(". Each engine decided the same authorizations to a ")
                .append("decisions topic of its own and logged each decision's features. Verdict: ")
                .append(p.atParity() ? "<span class=\"pass\">at parity</span> (every authorization decided by both, "
                        + "alike in action, score, reasons, model, card profile, card counters and every feature)"
                        : "<span class=\"fail\">not at parity</span>: each difference below is a finding to explain")
                .append(".</p>");
        b.append("<table><tr><th>sent</th><th>decided by both</th><th>missing in Flink</th><th>missing in Spark</th>")
                .append("<th>repeats Flink</th><th>repeats Spark</th><th>action mismatches</th><th>counter mismatches</th>")
                .append("<th>model mismatches</th><th>reason mismatches</th><th>card profile mismatches</th>")
                .append("<th>max score |Δ|</th></tr><tr>")
                .append(td(p.sent())).append(td(p.decidedByBoth())).append(td(p.missingFlink())).append(td(p.missingSpark()))
                .append(td(p.duplicatesFlink())).append(td(p.duplicatesSpark())).append(td(p.actionMismatches()))
                .append(td(p.counterMismatches())).append(td(p.modelMismatches())).append(td(p.reasonMismatches()))
                .append(td(p.profileMismatches()))
                .append("<td>").append(String.format(Locale.ROOT, "%.3g", p.maxDelta())).append("</td></tr></table>");
        if (run.unreadable() > 0) {
            b.append("<p class=\"fail\">").append(run.unreadable()).append(" records on the shadow topics did not decode; the first: ")
                    .append(esc(run.firstUnreadable())).append("</p>");
        }
        b.append("<h2>Score |Δ| distribution</h2>").append(deltaBars(p));
        if (p.oneSideScored() > 0) {
            b.append("<p>").append(p.oneSideScored()).append(" authorizations were scored by one engine only (the other had no model).</p>");
        }
        b.append("<h2>Features that differ</h2>");
        if (p.featureDiffs().isEmpty()) {
            b.append("<p>None, over ").append(p.featuresCompared()).append(" authorizations with a feature line from each engine")
                    .append(p.withoutFeatures() > 0 ? "; " + p.withoutFeatures() + " decided by both lacked one" : "").append(".</p>");
        } else {
            b.append("<table><tr><th class=\"l\">feature</th><th>authorizations where it differs</th>")
                    .append("<th class=\"l\">first: authorization, Flink / Spark</th></tr>");
            p.featureDiffs().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> {
                        ShadowParity.FeatureExample ex = p.featureExamples().get(e.getKey());
                        b.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td>").append(td(e.getValue()))
                                .append("<td class=\"l\">").append(esc(ex.authorizationId())).append(": ").append(ex.flink())
                                .append(" / ").append(ex.spark()).append("</td></tr>");
                    });
            b.append("</table><p>Of ").append(p.featuresCompared()).append(" compared.</p>");
        }
        b.append("<h2>Action mismatches (").append(p.actionMismatches()).append(")</h2>");
        if (!p.actionExamples().isEmpty()) {
            b.append("<table><tr><th class=\"l\">authorization</th><th>Flink</th><th>Spark</th><th>Flink score</th>")
                    .append("<th>Spark score</th><th class=\"l\">features that differ (Flink / Spark)</th>")
                    .append("<th class=\"l\">reasons (Flink / Spark)</th></tr>");
            for (ShadowParity.ActionMismatch a : p.actionExamples()) {
                StringBuilder diffs = new StringBuilder();
                a.features().forEach(d -> diffs.append(diffs.length() > 0 ? "; " : "").append(esc(d.feature())).append(' ')
                        .append(d.flink()).append(" / ").append(d.spark()));
                b.append("<tr><td class=\"l\">").append(esc(a.authorizationId())).append("</td><td>").append(a.flink())
                        .append("</td><td>").append(a.spark()).append("</td><td>").append(a.flinkScore()).append("</td><td>")
                        .append(a.sparkScore()).append("</td><td class=\"l\">")
                        .append(diffs.length() == 0 ? "none" : diffs).append("</td><td class=\"l\">")
                        .append(esc(String.join(", ", a.flinkReasons()))).append(" / ")
                        .append(esc(String.join(", ", a.sparkReasons()))).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Per-card counter mismatches (").append(p.counterMismatches()).append(", on ")
                .append(p.cardsWithCounterMismatch()).append(" cards)</h2>");
        if (!p.counterExamples().isEmpty()) {
            b.append("<p>The card's authorization count and last sequence number after each authorization, as each engine's state had them.</p>")
                    .append("<table><tr><th class=\"l\">authorization</th><th>count Flink</th><th>count Spark</th>")
                    .append("<th>last seq Flink</th><th>last seq Spark</th></tr>");
            for (ShadowParity.CounterMismatch c : p.counterExamples()) {
                b.append("<tr><td class=\"l\">").append(esc(c.authorizationId())).append("</td>").append(td(c.flinkCount()))
                        .append(td(c.sparkCount())).append(td(c.flinkSeq())).append(td(c.sparkSeq())).append("</tr>");
            }
            b.append("</table>");
        }
        if (p.missingFlink() + p.missingSpark() > 0) {
            b.append("<h2>Missing</h2><p>First missing in Flink: ").append(esc(String.join(", ", p.missingFlinkIds())))
                    .append("</p><p>First missing in Spark: ").append(esc(String.join(", ", p.missingSparkIds()))).append("</p>");
        }
        return b.append("</body></html>\n").toString();
    }

    /** Horizontal bars, one per |Δ| bucket, on a log-free count scale with the count written out. */
    private static String deltaBars(ShadowParity.Parity p) {
        long max = 1;
        for (long c : p.deltaBuckets()) {
            max = Math.max(max, c);
        }
        int w = 720, row = 24, left = 80;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", w, row * DELTA_LABELS.length + 10));
        for (int i = 0; i < DELTA_LABELS.length; i++) {
            long c = p.deltaBuckets()[i];
            double len = (w - left - 100) * (double) c / max;
            int y = 5 + i * row;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>",
                    left - 8, y + 15, esc(DELTA_LABELS[i])));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    left, y + 3, Math.max(len, c > 0 ? 1 : 0), row - 6, i == 0 ? "#1e7b34" : i < 2 ? "#2f5bd3" : "#b3261e"));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%,d</text>", left + len + 6, y + 15, c));
        }
        return s.append("</svg>").toString();
    }

    private static Object score(float v) {
        return Float.isNaN(v) ? null : (double) v;
    }

    private static String td(long v) {
        return String.format(Locale.ROOT, "<td>%,d</td>", v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
