package dev.vigil.loadtest.chaos;

import dev.vigil.core.json.JsonTree;
import dev.vigil.testkit.harness.Reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the nightly crash from two lake digests ({@code ./vigil lake digest --versions all}): a clean
 * run, and a lake whose run was killed mid-write and then run again.
 * <ul>
 *   <li>identical: every table's latest content in the rerun lake equals the clean run's;</li>
 *   <li>never partial: every version ever committed in the rerun lake (the killed run's commits
 *   included) is a state some version of the clean run also had, so no reader, at any moment, could
 *   read a table the clean run never showed.</li>
 * </ul>
 */
public final class NightlyCrashVerify {
    private NightlyCrashVerify() {
    }

    /** {@code crash} holds what the kill left: killed_at_step, commits_at_kill, data files, ... */
    public static boolean run(Path clean, Path rerun, Path crash, Path faults, Path reportDir) throws IOException {
        Map<String, Map<String, String>> c = tables(clean), r = tables(rerun);
        List<String> failures = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        long versions = 0;
        for (String table : union(c.keySet(), r.keySet())) {
            Map<String, String> cv = c.getOrDefault(table, Map.of()), rv = r.getOrDefault(table, Map.of());
            if (!latest(cv).equals(latest(rv))) {
                differing.add(table + " (clean " + latest(cv) + ", rerun " + latest(rv) + ")");
            }
            Set<String> cleanStates = new HashSet<>(cv.values());
            for (var v : rv.entrySet()) {
                versions++;
                if (!cleanStates.contains(v.getValue())) {
                    unseen.add(table + " version " + v.getKey() + " (" + v.getValue() + ")");
                }
            }
        }
        if (!differing.isEmpty()) {
            failures.add("after the rerun " + differing.size() + " table(s) differ from the clean run: " + differing);
        }
        if (!unseen.isEmpty()) {
            failures.add(unseen.size() + " committed version(s) the clean run never had (a partial table): " + unseen);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "nightly-crash");
        List<Object> injected = new ArrayList<>();
        for (ChaosVerify.Fault f : ChaosVerify.readFaults(faults)) {
            injected.add(f.toReport());
        }
        report.put("injected_faults", injected);
        Map<String, Object> crashed = JsonTree.object(JsonTree.parse(Files.readAllBytes(crash)), "");
        report.put("crash", crashed);
        if (!Boolean.TRUE.equals(crashed.get("mid_run"))) {
            failures.add("the kill did not land inside the run: " + crashed);
        }
        report.put("tables", c.size());
        report.put("versions_checked", versions);
        report.put("tables_differing", differing);
        report.put("versions_never_in_clean_run", unseen);
        // The suite's table columns, in this scenario's terms: tables the rerun did not reproduce, and
        // committed states the clean run never had.
        report.put("missing", differing.size());
        report.put("state_mismatches", unseen.size());
        report.put("failures", failures);
        report.put("pass", failures.isEmpty());
        Files.createDirectories(reportDir);
        Files.writeString(reportDir.resolve("report.json"), Reports.json(report) + "\n");
        System.out.printf("nightly-crash: %s — %d tables, %d committed versions checked; %d differ, %d never in the clean run%s%n",
                failures.isEmpty() ? "PASS" : "FAIL", c.size(), versions, differing.size(), unseen.size(),
                failures.isEmpty() ? "" : "; " + String.join("; ", failures));
        return failures.isEmpty();
    }

    private static Map<String, Map<String, String>> tables(Path digest) throws IOException {
        Map<String, Object> tables = JsonTree.object(JsonTree.object(JsonTree.parse(Files.readAllBytes(digest)), ""), "tables");
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        tables.forEach((name, versions) -> {
            Map<String, String> byVersion = new java.util.TreeMap<>((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
            ((Map<?, ?>) versions).forEach((v, d) -> byVersion.put(String.valueOf(v), String.valueOf(d)));
            out.put(name, byVersion);
        });
        return out;
    }

    private static String latest(Map<String, String> byVersion) {
        return byVersion.values().stream().reduce((a, b) -> b).orElse("(no table)");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
