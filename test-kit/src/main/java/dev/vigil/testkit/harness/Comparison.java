package dev.vigil.testkit.harness;

import dev.vigil.core.json.JsonTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One page for several load tests of the same traffic on different engines: their report.json files
 * side by side. The table gives each engine's figures (the median of its runs, and each run's p99);
 * the plots overlay the engines' latency by percentile and p99 over time (each engine's first run)
 * and compare the CPU each engine's process spent per decision.
 */
public final class Comparison {
    private static final String[] COLORS = {"#2f5bd3", "#b3261e", "#1e7b34", "#b26a00", "#6a3fb5", "#00838f"};

    private Comparison() {
    }

    /** One engine's load test: how the page names it, and its report.json. */
    public record Entry(String label, Map<String, Object> report) {
        static Entry read(String label, Path dir) throws IOException {
            return new Entry(label, JsonTree.object(JsonTree.parse(Files.readAllBytes(dir.resolve("report.json"))), label));
        }

        public Double number(String field) {
            return report.get(field) instanceof Number n ? n.doubleValue() : null;
        }

        Double engineCores() {
            if (report.get("cpu") instanceof Map<?, ?> cpu && cpu.get(Resources.ENGINE) instanceof Map<?, ?> e
                    && e.get("cores") instanceof Number n) {
                return n.doubleValue();
            }
            return null;
        }

        /** The largest of a count over the runs (missing, duplicates): a median would hide one bad run. */
        public Double worst(String field) {
            if (report.get("each_run") instanceof List<?> runs) {
                double worst = 0;
                for (Object r : runs) {
                    if (r instanceof Map<?, ?> m && m.get(field) instanceof Number n) {
                        worst = Math.max(worst, n.doubleValue());
                    }
                }
                return worst;
            }
            return number(field);
        }

        /** Each run's p99, in run order (the one figure when there was one run). */
        public List<Double> eachP99() {
            List<Double> out = new ArrayList<>();
            if (report.get("each_run") instanceof List<?> runs) {
                for (Object r : runs) {
                    out.add(r instanceof Map<?, ?> m && m.get("p99_ms") instanceof Number n ? n.doubleValue() : null);
                }
            } else {
                out.add(number("p99_ms"));
            }
            return out;
        }

        List<double[]> rows(String field, String inner) {
            List<double[]> out = new ArrayList<>();
            if (report.get(field) instanceof Map<?, ?> m && m.get(inner) instanceof List<?> rows) {
                for (Object row : rows) {
                    if (row instanceof List<?> cells) {
                        out.add(cells.stream().mapToDouble(c -> c instanceof Number n ? n.doubleValue() : Double.NaN).toArray());
                    }
                }
            }
            return out;
        }

        double[] column(String field, String inner) {
            if (report.get(field) instanceof Map<?, ?> m && m.get(inner) instanceof List<?> cells) {
                return cells.stream().mapToDouble(c -> c instanceof Number n ? n.doubleValue() : Double.NaN).toArray();
            }
            return new double[0];
        }
    }

    /**
     * Reads {@code label → folder} (each with its report.json) and writes {@code out}/report.html and
     * {@code out}/report.json (the table's figures); returns the entries read.
     */
    public static List<Entry> write(Path out, Map<String, Path> runs, String command) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (var e : runs.entrySet()) {
            entries.add(Entry.read(e.getKey(), e.getValue()));
        }
        Files.createDirectories(out);
        List<Object> rows = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", e.label());
            for (String f : List.of("runs", "offered_rate", "achieved_rate", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms",
                    "expected", "missing", "duplicates", "engine_cpu_us_per_decision", "jit_settled", "sla_pass")) {
                m.put(f, e.report().get(f));
            }
            m.put("p99_ms_each_run", e.eachP99());
            m.put("missing_worst_run", e.worst("missing"));
            m.put("duplicates_worst_run", e.worst("duplicates"));
            m.put("engine_cores", e.engineCores());
            rows.add(m);
        }
        Files.writeString(out.resolve("report.json"), Reports.json(Map.of("command", command, "engines", rows)) + "\n");
        Files.writeString(out.resolve("report.html"), html(entries, command));
        return entries;
    }

    static String html(List<Entry> entries, String command) {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil: engines compared</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse}")
                .append("td,th{padding:4px 10px;border-bottom:1px solid #dde1ea;text-align:right}th{color:#6b7385}")
                .append("td.l{text-align:left}svg{background:#fff;border:1px solid #dde1ea;margin:8px 0}")
                .append("code{background:#f1f3f7;padding:2px 4px}</style></head><body>");
        b.append("<h1>Engines compared: the same traffic, rate and champion</h1><p><code>").append(Reports.esc(command))
                .append("</code></p><p>Open loop: latency from each authorization's scheduled send time to its decision ")
                .append("being consumed, after each run's warm-up. Figures are the median of each engine's runs, missing and ")
                .append("duplicates the worst run's. The runs follow one another on one engine the command started, and the ")
                .append("plots show each engine's first run, on the freshest engine. CPU is the engine's own process over the ")
                .append("measured window.</p>");
        b.append("<table><tr><th class=\"l\">engine</th><th>runs</th><th>offered/s</th><th>achieved/s</th><th>p50</th>")
                .append("<th>p90</th><th>p99</th><th>p99 of each run</th><th>p99.9</th><th>max (ms)</th><th>missing (worst run)</th>")
                .append("<th>duplicates (worst run)</th><th>engine cores</th><th>µs CPU / decision</th><th>JIT settled</th></tr>");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            StringBuilder each = new StringBuilder();
            e.eachP99().forEach(v -> each.append(each.length() > 0 ? ", " : "").append(num(v)));
            b.append("<tr><td class=\"l\" style=\"color:").append(COLORS[i % COLORS.length]).append("\">")
                    .append(Reports.esc(e.label())).append("</td>").append(cell(e.number("runs")))
                    .append(cell(e.number("offered_rate"))).append(cell(e.number("achieved_rate")))
                    .append(cell(e.number("p50_ms"))).append(cell(e.number("p90_ms"))).append(cell(e.number("p99_ms")))
                    .append("<td>").append(each).append("</td>").append(cell(e.number("p999_ms")))
                    .append(cell(e.number("max_ms"))).append(cell(e.worst("missing"))).append(cell(e.worst("duplicates")))
                    .append(cell(e.engineCores())).append(cell(e.number("engine_cpu_us_per_decision")))
                    .append("<td>").append(e.report().get("jit_settled") instanceof Boolean s ? (s ? "yes" : "no") : "?")
                    .append("</td></tr>");
        }
        b.append("</table>");
        b.append("<h2>Latency by percentile</h2>").append(percentiles(entries));
        b.append("<h2>p99 over time (per second)</h2>").append(overTime(entries));
        b.append("<h2>Engine CPU per decision (µs)</h2>").append(cpuBars(entries));
        return b.append("</body></html>\n").toString();
    }

    private static String percentiles(List<Entry> entries) {
        int w = 720, h = 320, left = 60, bottom = 40;
        double maxX = Math.log10(1 / (1 - 0.9999));
        double maxY = 1;
        for (Entry e : entries) {
            for (double v : e.column("percentile_curve", "latency_ms")) {
                maxY = Math.max(maxY, Double.isNaN(v) ? 0 : v);
            }
        }
        maxY = Reports.niceMax(maxY);
        StringBuilder s = Reports.svgStart(w, h);
        Reports.axes(s, w, h, left, bottom, maxY, "ms");
        for (int i = 0; i < entries.size(); i++) {
            double[] ps = entries.get(i).column("percentile_curve", "percentiles");
            double[] ms = entries.get(i).column("percentile_curve", "latency_ms");
            List<double[]> pts = new ArrayList<>();
            for (int k = 0; k < Math.min(ps.length, ms.length); k++) {
                double p = Math.min(ps[k], 99.99) / 100;
                pts.add(new double[]{left + (w - left - 20) * Math.log10(1 / (1 - p)) / maxX,
                        h - bottom - (h - bottom - 20) * ms[k] / maxY});
                if (i == 0 && (k % 2 == 0 || ps[k] >= 99) && ps[k] != 99.99) {
                    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                            pts.get(pts.size() - 1)[0], h - bottom + 14, ps[k] >= 100 ? "max" : Reports.fmt(ps[k])));
                }
            }
            Reports.polyline(s, pts, COLORS[i % COLORS.length]);
        }
        legend(s, entries, w);
        return s.append("</svg>").toString();
    }

    private static String overTime(List<Entry> entries) {
        int w = 720, h = 320, left = 60, bottom = 40;
        double maxT = 1, maxY = 1;
        for (Entry e : entries) {
            for (double[] row : e.rows("over_time", "rows")) {
                maxT = Math.max(maxT, row[0]);
                maxY = Math.max(maxY, row[2]);
            }
        }
        maxY = Reports.niceMax(maxY);
        StringBuilder s = Reports.svgStart(w, h);
        Reports.axes(s, w, h, left, bottom, maxY, "ms");
        for (int i = 0; i < entries.size(); i++) {
            List<double[]> pts = new ArrayList<>();
            for (double[] row : entries.get(i).rows("over_time", "rows")) {
                pts.add(new double[]{left + (w - left - 20) * row[0] / maxT, h - bottom - (h - bottom - 20) * row[2] / maxY});
            }
            Reports.polyline(s, pts, COLORS[i % COLORS.length]);
        }
        for (int t = 0; t <= 4; t++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s s</text>",
                    left + (w - left - 20) * t / 4.0, h - bottom + 14, Reports.fmt(Math.round(maxT * t / 4))));
        }
        legend(s, entries, w);
        return s.append("</svg>").toString();
    }

    private static String cpuBars(List<Entry> entries) {
        int w = 720, row = 26, left = 220;
        double max = 1;
        for (Entry e : entries) {
            Double v = e.number("engine_cpu_us_per_decision");
            max = Math.max(max, v == null ? 0 : v);
        }
        StringBuilder s = Reports.svgStart(w, row * entries.size() + 10);
        for (int i = 0; i < entries.size(); i++) {
            Double v = entries.get(i).number("engine_cpu_us_per_decision");
            double len = v == null ? 0 : (w - left - 90) * v / max;
            int y = 5 + i * row;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>",
                    left - 8, y + 16, Reports.esc(entries.get(i).label())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    left, y + 3, len, row - 6, COLORS[i % COLORS.length]));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
                    left + len + 6, y + 16, v == null ? "unknown" : Reports.fmt(Math.round(v))));
        }
        return s.append("</svg>").toString();
    }

    private static void legend(StringBuilder s, List<Entry> entries, int w) {
        for (int i = 0; i < entries.size(); i++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>",
                    w - 250, 34 + 14 * i, COLORS[i % COLORS.length], Reports.esc(entries.get(i).label())));
        }
    }

    private static String cell(Double v) {
        return "<td>" + num(v) + "</td>";
    }

    private static String num(Double v) {
        return v == null ? "–" : Reports.fmt(Math.abs(v) >= 100 ? Math.round(v) : v);
    }
}
