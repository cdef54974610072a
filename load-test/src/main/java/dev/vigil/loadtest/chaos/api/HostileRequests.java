package dev.vigil.loadtest.chaos.api;

import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.loadtest.chaos.ChaosVerify;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Check 4: SQL injection, oversized, malformed and forged requests. Every one must get a 4xx, and
 * the business tables must be byte for byte what they were before.
 */
final class HostileRequests {
    /** Tables that change with every request, so they are left out of the before/after comparison. */
    private static final Set<String> OPERATIONAL = Set.of("audit_log", "flyway_schema_history");

    private HostileRequests() {
    }

    /**
     * A hostile request: what it tries, and how. {@code parsed} is false for a request line or headers
     * over the server's limits: Netty's decoder answers those 413 before a request exists, so no
     * filter (the audit's included) ever sees them; they are expected absent from the audit log.
     */
    record Attack(String name, String method, String path, String caller, String body, Map<String, String> headers,
                  boolean parsed) {
        Attack(String name, String method, String path, String caller, String body) {
            this(name, method, path, caller, body, Map.of(), true);
        }

        Attack(String name, String method, String path, String caller, String body, Map<String, String> headers) {
            this(name, method, path, caller, body, headers, true);
        }
    }

    static List<Attack> hostileRequests(ApiRun run, Known k) {
        String sqlOr = ApiRun.enc("x' OR '1'='1");
        String drop = ApiRun.enc("'; DROP TABLE alerts; --");
        String note = "/api/cases/" + k.caseId() + "/notes";
        String[] jwt = run.tokens.get("ANALYST").split("\\.");
        String adminClaims = ApiRun.b64("{\"sub\":\"chaos-analyst\",\"roles\":[\"ADMIN\"],\"exp\":4102444800}");
        return List.of(
                new Attack("sqli status filter", "GET", "/api/alerts?status=" + sqlOr, "ANALYST", null),
                new Attack("sqli card filter", "GET", "/api/alerts?card=" + sqlOr, "ANALYST", null),
                new Attack("sqli pattern filter", "GET", "/api/alerts?pattern=" + drop, "ANALYST", null),
                new Attack("sqli score filter", "GET", "/api/alerts?minScore=" + ApiRun.enc("0 OR 1=1"), "ANALYST", null),
                new Attack("sqli cursor", "GET", "/api/alerts?cursor=" + drop, "ANALYST", null),
                new Attack("sqli alert id", "GET", "/api/alerts/" + drop, "ANALYST", null),
                new Attack("sqli case id", "GET", "/api/cases/" + ApiRun.enc("1 OR 1=1"), "ANALYST", null),
                new Attack("sqli card timeline", "GET", "/api/cards/" + sqlOr + "/timeline", "ANALYST", null),
                new Attack("sqli audit user", "GET", "/api/audit?user=" + sqlOr, "ADMIN", null),
                new Attack("sqli login", "POST", "/login", "anonymous", "{\"username\":\"admin' --\",\"password\":\"x\"}"),
                new Attack("sqli new user", "POST", "/api/users", "ADMIN",
                        "{\"username\":\"robert'); DROP TABLE users;--\",\"password\":\"long-enough-password\",\"role\":\"ANALYST\"}"),
                new Attack("sqli verdict", "POST", "/api/cases/" + k.caseId() + "/resolve", "ANALYST",
                        "{\"verdict\":\"CONFIRMED_FRAUD'; UPDATE cases SET status='OPEN'; --\"}"),
                new Attack("sqli user patch", "PATCH", "/api/users/" + ApiRun.enc("chaos-analyst' OR '1'='1"), "ADMIN",
                        "{\"role\":\"ADMIN\"}"),
                new Attack("escalate role value", "PATCH", "/api/users/chaos-analyst", "ADMIN", "{\"role\":\"ROOT\"}"),
                new Attack("note over its limit", "POST", note, "ANALYST", "{\"text\":\"" + "x".repeat(5_000) + "\"}"),
                new Attack("body over the request limit", "POST", note, "ANALYST", "{\"text\":\"" + "y".repeat(100_000) + "\"}"),
                new Attack("query string of 20 KB", "GET", "/api/alerts?card=" + "z".repeat(20_000), "ANALYST", null, Map.of(),
                        false),
                new Attack("header of 32 KB", "GET", "/api/alerts", "ANALYST", null, Map.of("X-Padding", "p".repeat(32_000)),
                        false),
                new Attack("limit out of range", "GET", "/api/alerts?limit=100000000", "ANALYST", null),
                new Attack("malformed json", "POST", note, "ANALYST", "{\"text\": "),
                new Attack("json array instead of object", "POST", note, "ANALYST", "[1,2,3]"),
                new Attack("wrong content type", "POST", note, "ANALYST", "text=hello", Map.of("Content-Type", "text/plain")),
                new Attack("empty body", "POST", "/api/cases/" + k.caseId() + "/resolve", "ANALYST", ""),
                new Attack("unknown case", "POST", "/api/cases/999999999999/claim", "ANALYST", null),
                new Attack("forged token, alg none", "GET", "/api/users", null, null, Map.of("Authorization", "Bearer "
                        + ApiRun.b64("{\"alg\":\"none\"}") + "." + adminClaims + ".")),
                new Attack("token with claims swapped", "GET", "/api/users", null, null, Map.of("Authorization", "Bearer "
                        + jwt[0] + "." + adminClaims + "." + jwt[2])),
                new Attack("garbage token", "GET", "/api/alerts", null, null, Map.of("Authorization", "Bearer not-a-token")),
                new Attack("analyst creates an admin", "POST", "/api/users", "ANALYST",
                        "{\"username\":\"mallory\",\"password\":\"long-enough-password\",\"role\":\"ADMIN\"}"),
                new Attack("anonymous resolves a case", "POST", "/api/cases/" + k.caseId() + "/resolve", "anonymous",
                        "{\"verdict\":\"FALSE_POSITIVE\"}"),
                new Attack("path traversal", "GET", "/api/alerts/..%2f..%2fetc%2fpasswd", "ANALYST", null));
    }

    static void check(ApiRun run, Known k) throws Exception {
        Map<String, String> before = settledDigest(run);
        List<Object> results = new ArrayList<>();
        List<String> notRefused = new ArrayList<>();
        for (Attack a : hostileRequests(run, k)) {
            ApiClient.Reply r;
            try {
                r = run.call(a.method(), a.path(), a.caller() == null ? null : run.tokens.get(a.caller()), a.body(), a.headers(),
                        a.parsed());
            } catch (IOException e) {
                r = new ApiClient.Reply(-1, "no answer: " + e);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", a.name());
            m.put("status", r.status());
            m.put("audited", a.parsed());
            m.put("answer", ApiRun.abbreviate(r.body()));
            results.add(m);
            run.injected.add(new ChaosVerify.Fault("hostile-request", System.currentTimeMillis(), a.name()).toReport());
            if (r.status() < 400 || r.status() >= 500) {
                notRefused.add(a.name() + " -> " + r.status());
            }
        }
        Map<String, String> after = digest(run);
        List<String> changed = new ArrayList<>();
        before.forEach((table, d) -> {
            if (!d.equals(after.get(table))) {
                changed.add(table);
            }
        });
        run.report.put("attacks", results);
        run.report.put("attacks_not_refused", notRefused);
        run.report.put("tables_checked", before.keySet());
        run.report.put("tables_changed_by_attacks", changed);
        System.err.printf("  %d hostile requests: %d not refused with a 4xx; tables changed: %s%n", results.size(),
                notRefused.size(), changed);
        if (!notRefused.isEmpty()) {
            run.failures.add("hostile requests not refused with a 4xx: " + notRefused);
        }
        if (!changed.isEmpty()) {
            run.failures.add("hostile requests changed " + changed);
        }
    }

    /** The business tables' digests once two readings a second apart agree (label flushes settle). */
    private static Map<String, String> settledDigest(ApiRun run) throws Exception {
        Map<String, String> last = digest(run);
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1_000);
            Map<String, String> now = digest(run);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new IllegalStateException("the database kept changing with no traffic: cannot judge the attacks");
    }

    /** md5 of every row of every table but the audit log and Flyway's history, in a fixed order. */
    private static Map<String, String> digest(ApiRun run) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = run.db()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String t : tables) {
                if (OPERATIONAL.contains(t) || !t.matches("[a-z_]+")) {
                    continue;
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM " + t + " t")) {
                    rs.next();
                    out.put(t, rs.getString(1));
                }
            }
        }
        return out;
    }

}
