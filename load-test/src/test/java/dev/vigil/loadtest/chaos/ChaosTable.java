package dev.vigil.loadtest.chaos;

import dev.vigil.core.json.JsonTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The suite's summary: one line per scenario's report.json. */
final class ChaosTable {
    private static final String ROW = "%-19s %-5s %9s %8s %11s %9s %-20s %9s %s%n";

    private ChaosTable() {
    }

    static String of(Path reports) throws IOException {
        StringBuilder table = new StringBuilder(String.format("%n" + ROW, "scenario", "pass", "decided", "missing",
                "duplicates", "mismatch", "recovery s", "dlq", "faults"));
        List<Path> files;
        try (Stream<Path> dirs = Files.exists(reports) ? Files.list(reports) : Stream.empty()) {
            files = dirs.map(d -> d.resolve("report.json")).filter(Files::exists).sorted().toList();
        }
        String pans = "-";
        for (Path file : files) {
            Map<String, Object> r = JsonTree.object(JsonTree.parse(Files.readAllBytes(file)), "");
            if ("pan-scan".equals(r.get("scenario"))) {
                pans = text(r.get("input_pans_found"));
            }
            Object duplicates = r.get("duplicates");
            boolean differing = r.get("duplicates_differing") instanceof Number n && n.longValue() > 0;
            String recovery = r.get("recovery_seconds") instanceof List<?> seconds && !seconds.isEmpty()
                    ? seconds.stream().map(s -> s == null ? "none" : String.format(java.util.Locale.ROOT, "%.1f", ((Number) s).doubleValue()))
                            .collect(Collectors.joining(","))
                    : "-";
            table.append(String.format(ROW, r.get("scenario"), Boolean.TRUE.equals(r.get("pass")) ? "yes" : "NO",
                    text(r.get("decided")), text(r.get("missing")), text(duplicates) + (differing ? "!" : ""),
                    text(r.get("state_mismatches")), recovery, text(r.get("dlq_count")),
                    r.get("injected_faults") instanceof List<?> faults ? faults.size() : 0));
        }
        return table.append("(input PANs found in clear, pan-scan: ").append(pans).append(')').toString();
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        return value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? Long.toString(n.longValue()) : value.toString();
    }
}
