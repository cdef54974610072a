package dev.vigil.loadtest.chaos.api;

import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.testkit.harness.Reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the checks of one API chaos run share: the settings, a token per role, every request sent
 * (counted by outcome for the audit check, its answer kept for the PAN scan), the report and its
 * failures.
 */
final class ApiRun {
    /** Who calls, from the least allowed: "anonymous" sends no token. */
    static final List<String> CALLERS = List.of("anonymous", "ANALYST", "LEAD", "ADMIN");

    final ApiChaos.Settings s;
    final Map<String, String> tokens = new ConcurrentHashMap<>();
    final List<String> failures = new ArrayList<>();
    final Map<String, Object> report = new LinkedHashMap<>();
    final List<Object> injected = new ArrayList<>();
    final Map<Integer, AtomicLong> sentByOutcome = new ConcurrentHashMap<>();
    private final ApiClient client;
    private final Path responses;

    ApiRun(ApiChaos.Settings s) throws IOException {
        this.s = s;
        this.client = new ApiClient(s.api());
        this.responses = s.run().resolve("responses");
        Files.createDirectories(responses);
    }

    /** An admin token, and an analyst and a lead made (or reset) by the admin, each past its first-login password change. */
    void users() throws Exception {
        tokens.put("ADMIN", login("admin", s.adminPassword()));
        String existing = call("GET", "/api/users", tokens.get("ADMIN"), null).body();
        for (String role : List.of("ANALYST", "LEAD")) {
            String name = "chaos-" + role.toLowerCase(java.util.Locale.ROOT);
            // Set by the admin, so the user must change it first (the API refuses everything else).
            String password = "tmp-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "-7";
            String chosen = "own-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12)) + "-8";
            String body = "{\"password\":\"" + password + "\"" + (existing.contains("\"" + name + "\"") ? "" : ",\"username\":\""
                    + name + "\",\"role\":\"" + role + "\"") + "}";
            ApiClient.Reply r = existing.contains("\"" + name + "\"")
                    ? call("PATCH", "/api/users/" + name, tokens.get("ADMIN"), body)
                    : call("POST", "/api/users", tokens.get("ADMIN"), body);
            if (!r.ok()) {
                throw new IllegalStateException("could not set up user " + name + ": " + r.status() + " " + r.body());
            }
            String first = login(name, password);
            ApiClient.Reply changed = call("POST", "/api/me/password", first, "{\"currentPassword\":\"" + password
                    + "\",\"newPassword\":\"" + chosen + "\"}");
            if (changed.status() != 204) {
                throw new IllegalStateException("could not change the password of " + name + ": " + changed.status()
                        + " " + changed.body());
            }
            tokens.put(role, login(name, chosen));
        }
    }

    String login(String user, String password) throws IOException, InterruptedException {
        expectAuditRow(200);
        return client.login(user, password);
    }

    /** One request the audit log must show, with this outcome. */
    void expectAuditRow(int status) {
        sentByOutcome.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    ApiClient.Reply call(String method, String path, String token, String body) throws IOException, InterruptedException {
        return call(method, path, token, body, Map.of(), true);
    }

    /** Sends, counts what the audit log must show, and keeps the body for the PAN scan. */
    ApiClient.Reply call(String method, String path, String token, String body, Map<String, String> headers,
                                 boolean parsed) throws IOException, InterruptedException {
        ApiClient.Reply r = client.send(method, path, token, body, headers);
        String bare = path.split("\\?", 2)[0];
        if (parsed && (bare.startsWith("/api/") || bare.equals("/login"))) {
            expectAuditRow(r.status());
        }
        try {
            Files.writeString(responses.resolve(Thread.currentThread().getName().replaceAll("[^a-z0-9-]", "_") + ".txt"),
                    method + " " + abbreviate(path) + " " + r.status() + "\n" + r.body() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    Connection db() throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.dbUser(), s.dbPassword());
    }

    boolean finish() throws IOException {
        report.put("injected_faults", injected);
        report.put("failures", failures);
        report.put("pass", failures.isEmpty());
        Files.createDirectories(s.report());
        Files.writeString(s.report().resolve("report.json"), Reports.json(report) + "\n");
        System.out.printf("%s: %s%s%n", report.get("scenario"), failures.isEmpty() ? "PASS" : "FAIL",
                failures.isEmpty() ? "" : " — " + String.join("; ", failures));
        return failures.isEmpty();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
