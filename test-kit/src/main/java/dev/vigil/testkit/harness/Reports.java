package dev.vigil.testkit.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.json and report.html of a load test: figures, a latency-percentile plot, latency over time. */
public final class Reports {
    private Reports() {
    }

    /** Writes both files; {@code runs} are the individual runs when the result is their median. */
    public static void write(Path dir, Result result, List<Result> runs, List<LatencyHarness.Step> ramp, String command)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>(result.fields());
        json.put("command", command);
        json.put("runs", runs.size());
        if (runs.size() > 1) {
            List<Object> each = new ArrayList<>();
            runs.forEach(r -> each.add(r.fields()));
            json.put("each_run", each);
        }
        if (ramp != null) {
            json.put("scenario", "ramp");  // the figures above are those of the capacity step
            json.put("capacity_rate", LatencyHarness.capacity(ramp));
            List<Object> steps = new ArrayList<>();
            ramp.forEach(st -> steps.add(st.result().fields()));
            json.put("ramp_steps", steps);
        }
        // The curves too, so that a comparison of engines (Comparison) can draw them side by side.
        List<Object> curve = new ArrayList<>();
        for (double v : result.percentiles()) {
            curve.add(Result.round(v));
        }
        json.put("percentile_curve", Map.of("percentiles", java.util.Arrays.stream(Result.CURVE).boxed().toList(),
                "latency_ms", curve));
        List<Object> seconds = new ArrayList<>();
        for (double[] row : result.overTime()) {
            seconds.add(java.util.Arrays.stream(row).map(Result::round).boxed().toList());
        }
        json.put("over_time", Map.of("columns", List.of("second", "p50_ms", "p99_ms", "max_ms", "decisions"),
                "rows", seconds));
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("generated_at", java.time.Instant.now().toString());
        Files.writeString(dir.resolve("report.json"), json(json) + "\n");
        Files.writeString(dir.resolve("report.html"), html(result, runs, ramp, command));
    }

    static String html(Result r, List<Result> runs, List<LatencyHarness.Step> ramp, String command) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil load test: ")
                .append(esc(r.engine())).append(' ').append(esc(r.scenario())).append("</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse}")
                .append("td,th{padding:4px 10px;border-bottom:1px solid #dde1ea;text-align:right}th{color:#6b7385}")
                .append(".pass{color:#1e7b34;font-weight:600}.fail{color:#b3261e;font-weight:600}")
                .append("svg{background:#fff;border:1px solid #dde1ea;margin:8px 0}code{background:#f1f3f7;padding:2px 4px}")
                .append("</style></head><body>");
        b.append("<h1>Load test: ").append(esc(r.engine())).append(", ").append(esc(r.scenario())).append("</h1>");
        b.append("<p><code>").append(esc(command)).append("</code></p>");
        b.append("<p>Latency is measured from each authorization's scheduled send time (open loop) to the moment its ")
                .append("decision is consumed; the first ").append(fmt(r.warmupS())).append(" s are warm-up and excluded")
                .append(r.warmupFromRate() < r.offeredRate() ? " (rising in steps from " + fmt(r.warmupFromRate()) + "/s)" : "")
                .append(". ")
                .append(runs.size() > 1 ? "Figures are the median of " + runs.size() + " runs. " : "")
                .append("SLA: p99 &lt; ").append(fmt(r.slaP99Ms())).append(" ms with nothing missing — ")
                .append(r.slaPass() ? "<span class=\"pass\">met</span>" : "<span class=\"fail\">not met</span>")
                .append(".</p>");
        b.append("<table><tr><th>offered/s</th><th>achieved/s</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th>")
                .append("<th>max (ms)</th><th>decisions expected</th><th>missing</th><th>duplicates</th></tr><tr>")
                .append(td(fmt(r.offeredRate()))).append(td(fmt(r.achievedRate()))).append(td(fmt(r.p50Ms())))
                .append(td(fmt(r.p90Ms()))).append(td(fmt(r.p99Ms()))).append(td(fmt(r.p999Ms())))
                .append(td(fmt(r.maxMs()))).append(td(Long.toString(r.expected()))).append(td(Long.toString(r.missing())))
                .append(td(Long.toString(r.duplicates()))).append("</tr></table>");
        if (r.resources() != null) {
            b.append("<h2>CPU over the measured window</h2><p>").append(esc(resourcesLine(r.resources()))).append("</p>");
        }
        if (ramp != null) {
            b.append("<h2>Ramp: capacity ").append(fmt(LatencyHarness.capacity(ramp))).append(" authorizations/s</h2><table>")
                    .append("<tr><th>offered/s</th><th>achieved/s</th><th>p99 ms</th><th>missing</th><th>holds</th></tr>");
            for (LatencyHarness.Step st : ramp) {
                b.append("<tr>").append(td(fmt(st.rate()))).append(td(fmt(st.result().achievedRate())))
                        .append(td(fmt(st.result().p99Ms()))).append(td(Long.toString(st.result().missing())))
                        .append(td(LatencyHarness.holds(st.result()) ? "yes" : "no")).append("</tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Latency by percentile</h2>").append(percentilePlot(r));
        b.append("<h2>Latency over time</h2>").append(overTimePlot(r));
        b.append("</body></html>\n");
        return b.toString();
    }

    /** Latency against percentile, the x axis spaced as 1/(1-p) on a log scale like HdrHistogram's plots. */
    static String percentilePlot(Result r) {
        int w = 720, h = 320, left = 60, bottom = 40;
        double maxX = Math.log10(1 / (1 - 0.9999));
        double maxY = niceMax(max(r.percentiles()));
        StringBuilder s = svgStart(w, h);
        axes(s, w, h, left, bottom, maxY, "ms");
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < Result.CURVE.length; i++) {
            double p = Math.min(Result.CURVE[i], 99.99) / 100;
            double x = left + (w - left - 20) * Math.log10(1 / (1 - p)) / maxX;
            double y = h - bottom - (h - bottom - 20) * r.percentiles()[i] / maxY;
            pts.add(new double[]{x, y});
            String label = Result.CURVE[i] >= 100 ? "max" : fmt(Result.CURVE[i]);
            // 99.99 and max share the right edge: only "max" is labelled there.
            if ((i % 2 == 0 || Result.CURVE[i] >= 99) && Result.CURVE[i] != 99.99) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                        x, h - bottom + 14, label));
            }
        }
        polyline(s, pts, "#2f5bd3");
        slaLine(s, w, h, left, bottom, maxY, r.slaP99Ms());
        return s.append("</svg>").toString();
    }

    /**
     * "CPU over the measured window (60.1 s): engine 0.37 cores, broker 0.40 cores, harness 0.17 cores;
     * engine 372 µs CPU per decision over 60,053 decisions; JIT settled (µs per decision 381 in the
     * first half, 362 in the second); 487 methods compiled in the window".
     */
    public static String resourcesLine(Resources res) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "CPU over the measured window (%.1f s):", res.windowS()));
        String sep = " ";
        for (var e : res.cpu().entrySet()) {
            b.append(sep).append(e.getKey()).append(String.format(Locale.ROOT, " %.2f cores", e.getValue().cores()));
            sep = ", ";
        }
        Double us = res.engineMicrosPerDecision();
        if (us != null) {
            b.append(String.format(Locale.ROOT, "; engine %,.0f µs CPU per decision over %,d decisions", us, res.decisions()));
        }
        Boolean settled = res.jitSettled();
        if (settled != null) {
            b.append(String.format(Locale.ROOT, "; JIT %s (µs per decision %,.0f in the first half, %,.0f in the second)",
                    settled ? "settled" : "NOT settled: lengthen --warmup", res.firstHalfMicros(), res.secondHalfMicros()));
        }
        if (res.jitBefore() != null && res.jitAfter() != null) {
            b.append(String.format(Locale.ROOT, "; %,d methods compiled in the window",
                    res.jitAfter().compiled() - res.jitBefore().compiled()));
        }
        return b.toString();
    }

    /** Per second: p50, p99 and max, so stalls and drift show where they happened. */
    static String overTimePlot(Result r) {
        int w = 720, h = 320, left = 60, bottom = 40;
        List<double[]> rows = r.overTime();
        if (rows.isEmpty()) {
            return "<p>No decisions.</p>";
        }
        double maxT = Math.max(1, rows.get(rows.size() - 1)[0]);
        double maxY = niceMax(rows.stream().mapToDouble(x -> x[3]).max().orElse(1));
        StringBuilder s = svgStart(w, h);
        axes(s, w, h, left, bottom, maxY, "ms");
        String[] colors = {"#1e7b34", "#2f5bd3", "#b3261e"};
        String[] names = {"p50", "p99", "max"};
        for (int k = 0; k < 3; k++) {
            List<double[]> pts = new ArrayList<>();
            for (double[] row : rows) {
                pts.add(new double[]{left + (w - left - 20) * row[0] / maxT,
                        h - bottom - (h - bottom - 20) * Math.min(row[k + 1], maxY) / maxY});
            }
            polyline(s, pts, colors[k]);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>",
                    w - 60, 20 + 14 * k, colors[k], names[k]));
        }
        for (int t = 0; t <= 4; t++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s s</text>",
                    left + (w - left - 20) * t / 4.0, h - bottom + 14, fmt(maxT * t / 4)));
        }
        slaLine(s, w, h, left, bottom, maxY, r.slaP99Ms());
        return s.append("</svg>").toString();
    }

    static StringBuilder svgStart(int w, int h) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", w, h, w, h));
    }

    static void axes(StringBuilder s, int w, int h, int left, int bottom, double maxY, String unit) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left, left, h - bottom));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left, h - bottom, w - 20, h - bottom));
        for (int i = 0; i <= 4; i++) {
            double y = h - bottom - (h - bottom - 20) * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", left, y, w - 20, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s %s</text>",
                    left - 4, y + 3, fmt(maxY * i / 4), unit));
        }
    }

    private static void slaLine(StringBuilder s, int w, int h, int left, int bottom, double maxY, double sla) {
        if (sla <= maxY) {
            double y = h - bottom - (h - bottom - 20) * sla / maxY;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#b3261e\" stroke-dasharray=\"4 3\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#b3261e\">SLA p99</text>", left, y, w - 20, y, left + 4, y - 3));
        }
    }

    static void polyline(StringBuilder s, List<double[]> pts, String color) {
        s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"");
        for (double[] p : pts) {
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
        }
        s.append("\"/>");
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    static double niceMax(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String td(String v) {
        return "<td>" + v + "</td>";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%,.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** JSON of nested maps and lists of strings, numbers and booleans. */
    public static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(json(String.valueOf(k))).append(':').append(json(v)));
            return b.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            l.forEach(v -> b.append(b.length() > 1 ? "," : "").append(json(v)));
            return b.append(']').toString();
        }
        if (o == null) {
            return "null";
        }
        if (o instanceof Number || o instanceof Boolean) {
            return o.toString();
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : String.valueOf(o).toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
