package dev.vigil.batchtraining.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run report: one self-contained HTML page beside its PNG charts and the predictions table. */
public final class Report {
    private final StringBuilder html = new StringBuilder();

    public Report(String title) {
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:system-ui,sans-serif;max-width:1180px;margin:2em auto;"
                        + "color:#222}table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;"
                        + "padding:.25em .6em;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child"
                        + "{text-align:left}.pass{color:#1e7e34}.fail{color:#b02a37}img{margin:.4em;border:1px solid #ddd}"
                        + "</style></head><body><h1>").append(esc(title)).append("</h1>\n");
    }

    public Report heading(String text) {
        html.append("<h2>").append(esc(text)).append("</h2>\n");
        return this;
    }

    public Report paragraph(String text) {
        html.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    public Report verdict(boolean passed, String text) {
        html.append("<p class=\"").append(passed ? "pass" : "fail").append("\"><strong>").append(esc(text))
                .append("</strong></p>\n");
        return this;
    }

    /** A table: the first row is the header. Numbers are printed with 4 significant decimals. */
    public Report table(List<List<Object>> rows) {
        html.append("<table>");
        for (int i = 0; i < rows.size(); i++) {
            html.append("<tr>");
            for (Object cell : rows.get(i)) {
                String tag = i == 0 ? "th" : "td";
                html.append('<').append(tag).append('>').append(esc(format(cell))).append("</").append(tag).append('>');
            }
            html.append("</tr>");
        }
        html.append("</table>\n");
        return this;
    }

    public Report images(String... files) {
        html.append("<div>");
        for (String f : files) {
            html.append("<img src=\"").append(esc(f)).append("\" alt=\"").append(esc(f)).append("\">");
        }
        html.append("</div>\n");
        return this;
    }

    public Path write(Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        Files.writeString(file, html + "</body></html>\n", StandardCharsets.UTF_8);
        return file;
    }

    public static String format(Object cell) {
        if (cell instanceof Double d) {
            return d.isNaN() ? "–" : String.format(Locale.ROOT, "%.4f", d);
        }
        return String.valueOf(cell);
    }

    /** Rows "metric | model A | model B ..." from named metric maps with the same keys. */
    public static List<List<Object>> metricsTable(Map<String, Map<String, Double>> byModel) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        List<Object> header = new java.util.ArrayList<>();
        header.add("metric");
        header.addAll(byModel.keySet());
        rows.add(header);
        Map<String, Double> first = byModel.values().iterator().next();
        for (String metric : first.keySet()) {
            List<Object> row = new java.util.ArrayList<>();
            row.add(metric);
            for (Map<String, Double> m : byModel.values()) {
                row.add(m.getOrDefault(metric, Double.NaN));
            }
            rows.add(row);
        }
        return rows;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
