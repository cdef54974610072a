package dev.vigil.loadtest.chaos.api;

import dev.vigil.loadtest.api.ApiClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Check 3: every endpoint × every role and anonymous. 401 without a token, 403 below the endpoint's
 * least role, served at or above it.
 */
final class AccessMatrix {
    private AccessMatrix() {
    }

    /** An endpoint and the least role it needs ("anonymous" when open to all). */
    record Endpoint(String method, String path, String body, String least) {
    }

    static void check(ApiRun run, Known k) throws Exception {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/api/alerts", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts?status=OPEN&minScore=0.5", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts/" + ApiRun.enc(k.alertId()), null, "ANALYST"),
                new Endpoint("GET", "/api/cases", null, "ANALYST"),
                new Endpoint("GET", "/api/cases/" + k.caseId(), null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/notes", "{\"text\":\"checked during the chaos run\"}", "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/assign", "{\"assignee\":\"chaos-analyst\"}", "LEAD"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/claim", null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/resolve", "{\"verdict\":\"FALSE_POSITIVE\"}", "ANALYST"),
                new Endpoint("GET", "/api/cards/" + ApiRun.enc(k.card()) + "/timeline", null, "ANALYST"),
                new Endpoint("GET", "/api/stats/queue", null, "LEAD"),
                new Endpoint("GET", "/api/users", null, "ADMIN"),
                new Endpoint("POST", "/api/users", "{\"username\":\"chaos-new-user\",\"password\":\"onboarding-pass-42\","
                        + "\"role\":\"ANALYST\"}", "ADMIN"),
                new Endpoint("PATCH", "/api/users/chaos-analyst", "{\"enabled\":true}", "ADMIN"),
                new Endpoint("GET", "/api/audit?limit=5", null, "ADMIN"),
                new Endpoint("GET", "/swagger/vigil-alert-api-0.1.yml", null, "anonymous"),
                new Endpoint("GET", "/ui/index.html", null, "anonymous"),
                new Endpoint("GET", "/health", null, "anonymous"));
        List<String> wrong = new ArrayList<>();
        int checks = 0;
        for (Endpoint e : endpoints) {
            for (String caller : ApiRun.CALLERS) {
                ApiClient.Reply r = run.call(e.method(), e.path(), run.tokens.get(caller), e.body());
                checks++;
                // Allowed means served: 2xx, or a 409 of the case's own state (claimed, already resolved).
                int expected = ApiRun.CALLERS.indexOf(caller) >= ApiRun.CALLERS.indexOf(e.least()) ? 200
                        : caller.equals("anonymous") ? 401 : 403;
                boolean ok = expected == 200 ? r.ok() || r.status() == 409 : r.status() == expected;
                if (!ok) {
                    wrong.add(caller + " " + e.method() + " " + e.path() + " -> " + r.status() + " (expected " + expected + ")");
                }
            }
        }
        run.report.put("access_checks", checks);
        run.report.put("access_wrong", wrong);
        System.err.printf("  access: %d endpoint × caller checks, %d wrong%n", checks, wrong.size());
        if (!wrong.isEmpty()) {
            run.failures.add(wrong.size() + " endpoint × role answers wrong, e.g. " + wrong.get(0));
        }
    }

}
