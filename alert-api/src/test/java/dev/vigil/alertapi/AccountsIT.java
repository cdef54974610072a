package dev.vigil.alertapi;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts and sessions (PCI DSS 8.2–8.3): tokens that stop working when their user changes or logs
 * out, a forced password change, the password policy, lockout, dormant accounts, the last admin, and
 * the audit rows all of that leaves.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("accounts");

    @Inject
    EmbeddedServer server;

    @Inject
    dev.vigil.alertapi.security.DormantAccounts dormant;

    @Inject
    io.micronaut.security.token.generator.TokenGenerator tokens;

    private Api api;
    private String admin;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(SERVICES.properties());
        p.put("vigil.api.live.heartbeat", "1s");
        return p;
    }

    @BeforeAll
    void admin() {
        api = new Api(server.getURI());
        admin = api.login(TestServices.ADMIN, SERVICES.adminPassword);
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    /** A new user of {@code role}, logged in with the password they chose. */
    private String newUser(String name, String role) {
        assertEquals(201, api.post("/api/users", admin, Map.of("username", name, "password", "set-by-admin-1",
                "role", role)).status());
        return api.firstLogin(name, "set-by-admin-1", "chosen-by-user-2");
    }

    @Test
    void aNewUserMustChangeTheAdminsPasswordBeforeAnythingElse() {
        assertEquals(201, api.post("/api/users", admin, Map.of("username", "erin", "password", "set-by-admin-1",
                "role", "ANALYST")).status());
        String first = api.login("erin", "set-by-admin-1");
        Api.Reply refused = api.get("/api/alerts", first);
        assertEquals(403, refused.status());
        assertTrue(refused.body().contains("change your password first"), refused.body());
        assertTrue(api.get("/api/me", first).json().get("mustChangePassword").asBoolean());

        Api.Reply weak = api.post("/api/me/password", first, Map.of("currentPassword", "set-by-admin-1",
                "newPassword", "only-letters-here"));
        assertEquals(400, weak.status());
        assertTrue(weak.body().contains("letters and digits"), weak.body());
        Api.Reply named = api.post("/api/me/password", first, Map.of("currentPassword", "set-by-admin-1",
                "newPassword", "erin-likes-42-cats"));
        assertEquals(400, named.status());
        assertTrue(named.body().contains("user name"), named.body());
        assertEquals(403, api.post("/api/me/password", first, Map.of("currentPassword", "a-wrong-guess-1",
                "newPassword", "chosen-by-user-2")).status());

        assertEquals(204, api.post("/api/me/password", first, Map.of("currentPassword", "set-by-admin-1",
                "newPassword", "chosen-by-user-2")).status());
        assertEquals(401, api.get("/api/me", first).status(), "the change ended the session it was made in");
        String mine = api.login("erin", "chosen-by-user-2");
        assertEquals(200, api.get("/api/alerts", mine).status());
        assertFalse(api.get("/api/me", mine).json().get("mustChangePassword").asBoolean());
    }

    @Test
    void aTokenStopsWorkingWhenItsUserIsDemotedDisabledResetOrLogsOut() {
        String lead = newUser("frank", "LEAD");
        assertEquals(200, api.get("/api/stats/queue", lead).status());
        assertEquals(200, api.send("PATCH", "/api/users/frank", admin, Map.of("role", "ANALYST")).status());
        assertEquals(401, api.get("/api/stats/queue", lead).status(), "demoted: the LEAD token is dead at once");
        assertEquals(401, api.get("/api/alerts", lead).status());

        String analyst = api.login("frank", "chosen-by-user-2");
        assertEquals(200, api.get("/api/alerts", analyst).status());
        assertEquals(200, api.send("PATCH", "/api/users/frank", admin, Map.of("enabled", true)).status());
        assertEquals(200, api.get("/api/alerts", analyst).status(), "a change to nothing ends nothing");
        assertEquals(200, api.send("PATCH", "/api/users/frank", admin, Map.of("enabled", false)).status());
        assertEquals(401, api.get("/api/alerts", analyst).status(), "disabled: refused at once");

        assertEquals(200, api.send("PATCH", "/api/users/frank", admin, Map.of("enabled", true)).status());
        String again = api.login("frank", "chosen-by-user-2");
        assertEquals(200, api.send("PATCH", "/api/users/frank", admin, Map.of("password", "reset-by-admin-3")).status());
        assertEquals(401, api.get("/api/alerts", again).status(), "a password reset ends the sessions");
        String afterReset = api.firstLogin("frank", "reset-by-admin-3", "own-free-pass-9");

        String other = api.login("frank", "own-free-pass-9");
        assertEquals(204, api.post("/api/me/logout", afterReset, null).status());
        assertEquals(401, api.get("/api/alerts", afterReset).status());
        assertEquals(401, api.get("/api/alerts", other).status(), "logging out ends every session of the user");
    }

    @Test
    void theLiveStreamEndsWhenItsSessionDoes() throws Exception {
        String analyst = newUser("gina", "ANALYST");
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(
                        server.getURI().resolve("/api/alerts/live")).header("Authorization", "Bearer " + analyst).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> response.body().toList());
        Thread.sleep(1_500);
        assertFalse(lines.isDone(), "the stream stays open while the session stands");
        assertEquals(204, api.post("/api/me/logout", analyst, null).status());
        List<String> seen = lines.get(15, TimeUnit.SECONDS); // the next heartbeat (1 s here) ends it
        assertTrue(seen.contains("event: session-ended"), seen.toString());
    }

    @Test
    void theLiveStreamEndsWhenItsTokenExpires() throws Exception {
        newUser("hank", "ANALYST");
        long version;
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT session_version FROM users WHERE username = 'hank'"); ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            version = rs.getLong(1);
        }
        // A token as a login issues it, but valid for 4 s: the stream it opens must not outlive it.
        String shortLived = tokens.generateToken(Map.of("sub", "hank", "roles",
                dev.vigil.alertapi.security.Role.ANALYST.granted(), "sv", version, "sid", java.util.UUID.randomUUID().toString(),
                "iat", System.currentTimeMillis() / 1000, "exp", System.currentTimeMillis() / 1000 + 4)).orElseThrow();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        server.getURI().resolve("/api/alerts/live")).header("Authorization", "Bearer " + shortLived).build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> response.body().toList());
        Thread.sleep(1_500);
        assertFalse(lines.isDone(), "the stream stays open while the token is valid");
        List<String> seen = lines.get(15, TimeUnit.SECONDS); // the first heartbeat after expiry ends it
        assertTrue(seen.contains("event: session-ended"), seen.toString());
    }

    @Test
    void tenWrongPasswordsLockTheAccountAndTheAuditSaysWhoAndWhy() throws Exception {
        newUser("hugo", "ANALYST");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, api.post("/login", null, Map.of("username", "hugo", "password", "guess-number-" + i)).status());
        }
        assertEquals(401, api.post("/login", null, Map.of("username", "hugo", "password", "chosen-by-user-2")).status(),
                "locked: even the right password is refused");
        List<String> details = auditDetails("hugo", "POST", "/login");
        assertEquals("login refused: account locked after 10 wrong passwords", details.get(0));
        assertEquals("login refused: wrong password; account locked for 30 minutes", details.get(1));
        assertEquals("login refused: wrong password", details.get(2));
        assertEquals("127.0.0.1", auditClient("hugo"));

        assertEquals(200, api.send("PATCH", "/api/users/hugo", admin, Map.of("password", "unlocked-by-admin-4")).status());
        assertNotNull(api.firstLogin("hugo", "unlocked-by-admin-4", "chosen-again-5"), "an admin's reset unlocks");
    }

    @Test
    void anAccountUnusedFor90DaysIsDisabledAtItsNextLogin() throws Exception {
        newUser("iris", "ANALYST");
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET last_login_at = now() - interval '91 days' WHERE username = 'iris'")) {
            ps.executeUpdate();
        }
        assertEquals(401, api.post("/login", null, Map.of("username", "iris", "password", "chosen-by-user-2")).status());
        assertEquals("login refused: no login for 90 days: user disabled", auditDetails("iris", "POST", "/login").get(0));
        Api.Reply users = api.get("/api/users", admin);
        users.json().forEach(u -> {
            if (u.get("username").asText().equals("iris")) {
                assertFalse(u.get("enabled").asBoolean(), u.toString());
            }
        });
    }

    @Test
    void theHourlySweepDisablesDormantAccountsButNotTheLastAdmin() throws Exception {
        newUser("lena", "ANALYST");
        newUser("mona", "LEAD");
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET last_login_at = now() - interval '100 days' WHERE username IN ('lena', 'mona')")) {
            ps.executeUpdate();
        }
        assertTrue(dormant.disable() >= 2);
        Map<String, Boolean> enabled = new HashMap<>();
        api.get("/api/users", admin).json().forEach(u -> enabled.put(u.get("username").asText(),
                u.get("enabled").asBoolean()));
        assertFalse(enabled.get("lena"));
        assertFalse(enabled.get("mona"));
        assertTrue(enabled.get("admin"), "the admin logged in today");
    }

    @Test
    void aLoginIsAuditedWithWhoAndFromWhereAndRecordedAsTheLastLogin() throws Exception {
        newUser("nina", "ANALYST");
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET last_login_at = now() - interval '50 days' WHERE username = 'nina'")) {
            ps.executeUpdate();
        }
        assertNotNull(api.login("nina", "chosen-by-user-2"));
        assertEquals("logged in", auditDetails("nina", "POST", "/login").get(0));
        assertEquals("127.0.0.1", auditClient("nina"));
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT last_login_at > now() - interval '1 minute' FROM users WHERE username = 'nina'");
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next() && rs.getBoolean(1), "the login is the account's last login (the 90-day rule counts from it)");
        }
    }

    @Test
    void theSweepLeavesTheLastEnabledAdminEnabledEvenWhenItIsDormant() throws Exception {
        try (Connection c = SERVICES.connection(); PreparedStatement others = c.prepareStatement(
                "UPDATE users SET enabled = FALSE WHERE role = 'ADMIN' AND username <> 'admin'");
             PreparedStatement dormantAdmin = c.prepareStatement(
                "UPDATE users SET last_login_at = now() - interval '120 days' WHERE username = 'admin'");
             PreparedStatement back = c.prepareStatement(
                "UPDATE users SET last_login_at = now() WHERE username = 'admin'")) {
            others.executeUpdate();
            dormantAdmin.executeUpdate();
            try {
                dormant.disable();
                try (PreparedStatement ps = c.prepareStatement("SELECT enabled FROM users WHERE username = 'admin'");
                     ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next() && rs.getBoolean(1),
                            "the last admin stays enabled: disabling it would leave nobody to re-enable anyone");
                }
            } finally {
                back.executeUpdate();
            }
        }
    }

    @Test
    void theLastEnabledAdminCanBeNeitherDisabledNorDemoted() throws Exception {
        assertEquals(409, api.send("PATCH", "/api/users/admin", admin, Map.of("enabled", false)).status());
        Api.Reply demote = api.send("PATCH", "/api/users/admin", admin, Map.of("role", "LEAD"));
        assertEquals(409, demote.status());
        assertTrue(demote.body().contains("last enabled admin"), demote.body());
        assertEquals(200, api.get("/api/users", admin).status(), "the refused changes ended no session");

        newUser("jack", "ADMIN");
        assertEquals(200, api.send("PATCH", "/api/users/jack", admin, Map.of("enabled", false)).status());
        assertEquals(409, api.send("PATCH", "/api/users/admin", admin, Map.of("enabled", false)).status(),
                "jack is disabled, so admin is the last again");
    }

    @Test
    void aUserChangeIsOneAuditRowThatSaysWhatChanged() throws Exception {
        newUser("kate", "ANALYST");
        long before = auditRows();
        assertEquals(200, api.send("PATCH", "/api/users/kate/", admin, Map.of("role", "LEAD")).status());
        assertEquals(before + 1, auditRows(), "the change's own row, not a second one from the filter");
        List<String> rows = auditDetails("admin", "PATCH", "/api/users/kate");
        assertEquals("kate: role ANALYST -> LEAD, sessions ended", rows.get(0), "a trailing slash is audited as the path");
    }

    @Test
    void aChangeWhoseAuditRowCannotBeWrittenIsNotMade() throws Exception {
        newUser("otto", "ANALYST");
        try (Connection c = SERVICES.connection(); java.sql.Statement s = c.createStatement()) {
            // The audit row is written in the change's own transaction: when it cannot be, nothing changes.
            s.execute("REVOKE INSERT ON audit_log FROM " + SERVICES.runtimeRole);
            try {
                Api.Reply r = api.send("PATCH", "/api/users/otto", admin, Map.of("role", "LEAD"));
                assertEquals(500, r.status(), r.body());
            } finally {
                s.execute("GRANT INSERT (username, action, resource, outcome, client, detail) ON audit_log TO "
                        + SERVICES.runtimeRole);
            }
            try (ResultSet rs = s.executeQuery("SELECT role FROM users WHERE username = 'otto'")) {
                assertTrue(rs.next());
                assertEquals("ANALYST", rs.getString(1), "the unaudited change was rolled back");
            }
        }
        assertEquals(200, api.send("PATCH", "/api/users/otto", admin, Map.of("role", "LEAD")).status(),
                "with the grant back, the same change is made and audited");
        assertEquals("otto: role ANALYST -> LEAD, sessions ended", auditDetails("admin", "PATCH", "/api/users/otto").get(0));
    }

    private static List<String> auditDetails(String user, String action, String resource) throws SQLException {
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT detail FROM audit_log WHERE username = ? AND action = ? AND resource = ? ORDER BY audit_id DESC")) {
            ps.setString(1, user);
            ps.setString(2, action);
            ps.setString(3, resource);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static String auditClient(String user) throws SQLException {
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT client FROM audit_log WHERE username = ? ORDER BY audit_id DESC LIMIT 1")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static long auditRows() throws SQLException {
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
