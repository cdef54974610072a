package dev.vigil.alertapi;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint for every role and for anonymous callers: 401 without a token, 403 below the
 * endpoint's role, served at or above it; and one audit row per request, readable by ADMIN only.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("access");
    private static final List<String> CALLERS = List.of("anonymous", "ANALYST", "LEAD", "ADMIN");

    /** An endpoint and the least role it needs ("anonymous" when open to all). */
    record Endpoint(String method, String path, Object body, String least) {
    }

    @Inject
    EmbeddedServer server;

    private Api api;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private String alertId;
    private long caseId;
    private String card;

    @Override
    public Map<String, String> getProperties() {
        return SERVICES.properties();
    }

    @BeforeAll
    void usersAndOneAlert() throws Exception {
        api = new Api(server.getURI());
        String admin = api.login(TestServices.ADMIN, SERVICES.adminPassword);
        tokens.put("ADMIN", admin);
        for (String role : List.of("ANALYST", "LEAD")) {
            String name = role.toLowerCase() + "-user";
            assertEquals(201, api.post("/api/users", admin,
                    Map.of("username", name, "password", "set-by-admin-1", "role", role)).status());
            tokens.put(role, api.firstLogin(name, "set-by-admin-1", "chosen-by-user-2"));
        }
        card = Alerts.newCard();
        Alert alert = Alerts.model(card, "auth-acc-" + UUID.randomUUID(), System.currentTimeMillis(), 0.9f,
                Action.DECLINE);
        alertId = alert.alertId();
        SERVICES.produce(SERVICES.alertsTopic, List.of(Alerts.record(alert)));
        long deadline = System.currentTimeMillis() + 60_000;
        Api.Reply detail;
        do {
            Thread.sleep(100);
            detail = api.get("/api/alerts/" + alertId, admin);
        } while (detail.status() == 404 && System.currentTimeMillis() < deadline);
        caseId = detail.json().get("alert").get("caseId").asLong();
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    private List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/api/alerts", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts?status=OPEN&minScore=0.5", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts/" + alertId, null, "ANALYST"),
                new Endpoint("GET", "/api/cases", null, "ANALYST"),
                new Endpoint("GET", "/api/cases/" + caseId, null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + caseId + "/notes", Map.of("text", "looked at it"), "ANALYST"),
                new Endpoint("POST", "/api/cases/" + caseId + "/assign", Map.of("assignee", "analyst-user"), "LEAD"),
                new Endpoint("POST", "/api/cases/" + caseId + "/claim", null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + caseId + "/resolve", Map.of("verdict", "FALSE_POSITIVE"), "ANALYST"),
                new Endpoint("POST", "/api/users", Map.of("username", "new-user", "password", "onboarding-pass-42",
                        "role", "ANALYST"), "ADMIN"),
                new Endpoint("GET", "/api/cards/" + card + "/timeline", null, "ANALYST"),
                new Endpoint("GET", "/api/stats/queue", null, "LEAD"),
                new Endpoint("GET", "/api/users", null, "ADMIN"),
                new Endpoint("PATCH", "/api/users/analyst-user", Map.of("enabled", true), "ADMIN"),
                new Endpoint("GET", "/api/audit", null, "ADMIN"),
                new Endpoint("GET", "/swagger/vigil-alert-api-0.1.yml", null, "anonymous"),
                new Endpoint("GET", "/ui/index.html", null, "anonymous"),
                new Endpoint("GET", "/prometheus", null, "anonymous"),
                new Endpoint("GET", "/health", null, "anonymous"));
    }

    @Test
    void everyEndpointAnswersEachRoleAsItsLeastRoleSays() {
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (String caller : CALLERS) {
                Api.Reply r = api.send(e.method(), e.path(), tokens.get(caller), e.body());
                // Allowed means served: 2xx, or a 409 of the case's own state (claimed, already resolved).
                int expected = rank(caller) >= rank(e.least()) ? 200 : caller.equals("anonymous") ? 401 : 403;
                boolean ok = expected == 200 ? r.status() >= 200 && r.status() < 300 || r.status() == 409
                        : r.status() == expected;
                if (!ok) {
                    wrong.add(caller + " " + e.method() + " " + e.path() + " -> " + r.status() + " (expected "
                            + expected + ")");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void claimAndResolveNeedAnAnalystAndAreRefusedToAnonymous() {
        assertEquals(401, api.post("/api/cases/" + caseId + "/claim", null, null).status());
        assertEquals(401, api.post("/api/cases/" + caseId + "/resolve", null, Map.of("verdict", "FALSE_POSITIVE")).status());
        assertEquals(401, api.post("/api/users", null, Map.of("username", "mallory", "password", "p".repeat(20),
                "role", "ADMIN")).status());
        assertEquals(403, api.post("/api/users", tokens.get("LEAD"), Map.of("username", "mallory",
                "password", "p".repeat(20), "role", "ADMIN")).status());
        assertEquals(401, api.get("/api/alerts", "not-a-jwt").status(), "a forged token is refused");
        assertEquals(401, api.get("/api/alerts/live", null).status(), "the live stream needs a login too");
        assertEquals(401, api.post("/login", null, Map.of("username", "admin", "password", "wrong-password")).status());
    }

    @Test
    void everyRequestIsAuditedAndTheLogIsAppendOnly() throws Exception {
        long before = auditRows();
        api.get("/api/alerts/" + alertId, tokens.get("ANALYST"));
        api.get("/api/alerts/" + alertId, null);
        api.get("/api/stats/queue", tokens.get("ANALYST"));
        api.get("/api/alerts?status=BAD", tokens.get("ANALYST"));
        assertEquals(before + 4, auditRows());

        Api.Reply log = api.get("/api/audit?limit=4", tokens.get("ADMIN"));
        assertEquals(200, log.status());
        var items = log.json().get("items");
        // Newest first: the admin's own read is audited after the response, so the four are these.
        List<String> seen = new ArrayList<>();
        items.forEach(i -> seen.add(i.get("username").asText() + " " + i.get("action").asText() + " "
                + i.get("resource").asText() + " " + i.get("outcome").asInt()));
        assertEquals(List.of(
                "analyst-user GET /api/alerts?status=BAD 400",
                "analyst-user GET /api/stats/queue 403",
                "anonymous GET /api/alerts/" + alertId + " 401",
                "analyst-user GET /api/alerts/" + alertId + " 200"), seen);
        assertEquals(403, api.get("/api/audit", tokens.get("LEAD")).status());

        try (Connection c = SERVICES.connection(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE audit_log SET outcome = 200"));
            assertTrue(update.getMessage().contains("append-only"), "even the owner: " + update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
        }
        assertNotEquals(0, auditRows());
    }

    @Test
    void theServicesOwnRoleCanOnlyReadAndAppendAuditRowsWithTheDatabasesTime() throws Exception {
        long before = auditRows();
        try (Connection c = SERVICES.runtimeConnection(); Statement s = c.createStatement()) {
            for (String tamper : List.of("UPDATE audit_log SET outcome = 200", "DELETE FROM audit_log",
                    "TRUNCATE audit_log", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                    "DROP TRIGGER audit_log_append_only ON audit_log",
                    "INSERT INTO audit_log (at, username, action, resource, outcome) "
                            + "VALUES ('2020-01-01', 'mallory', 'GET', '/backdated', 200)",
                    "INSERT INTO audit_log (audit_id, username, action, resource, outcome) "
                            + "VALUES (1, 'mallory', 'GET', '/chosen-id', 200)")) {
                SQLException refused = assertThrows(SQLException.class, () -> s.execute(tamper), tamper);
                assertTrue(refused.getMessage().contains("permission denied")
                        || refused.getMessage().contains("must be owner"), tamper + ": " + refused.getMessage());
            }
            assertEquals(1, s.executeUpdate("INSERT INTO audit_log (username, action, resource, outcome) "
                    + "VALUES ('runtime-role-test', 'GET', '/appended', 200)"));
        }
        assertEquals(before + 1, auditRows());
    }

    @Test
    void aDisabledUserCannotLogIn() {
        String admin = tokens.get("ADMIN");
        assertEquals(201, api.post("/api/users", admin, Map.of("username", "temp-user",
                "password", "first-day-pass-77", "role", "ANALYST")).status());
        api.login("temp-user", "first-day-pass-77");
        assertEquals(200, api.send("PATCH", "/api/users/temp-user", admin, Map.of("enabled", false)).status());
        Api.Reply refused = api.post("/login", null, Map.of("username", "temp-user", "password", "first-day-pass-77"));
        assertEquals(401, refused.status());
        assertFalse(refused.body().contains("first-day-pass-77"));
    }

    private static int rank(String caller) {
        return CALLERS.indexOf(caller.equals("anonymous") ? "anonymous" : caller);
    }

    private static long auditRows() throws SQLException {
        try (Connection c = SERVICES.connection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
