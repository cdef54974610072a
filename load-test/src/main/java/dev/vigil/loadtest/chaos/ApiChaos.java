package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Alert;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.JsonTree;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.loadtest.suite.Reports;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The alert API under load and attack, judged against its PostgreSQL database and the alerts topic:
 * <ol>
 *   <li>analysts read (queue, detail, card timeline, cases; a lead the queue statistics; one live
 *   stream) while the scoring job's alerts are ingested: every read answered 2xx;</li>
 *   <li>every alert the job wrote to Kafka since the run started is stored, once;</li>
 *   <li>every endpoint × every role and anonymous: 401 without a token, 403 below the endpoint's
 *   role, served at or above it;</li>
 *   <li>SQL injection, oversized, malformed and forged requests: every one a 4xx, and the business
 *   tables are byte-for-byte what they were before;</li>
 *   <li>the audit log grew by exactly one row per request the client made, with the same outcomes.</li>
 * </ol>
 * Every response body is kept under {@code run/responses} for the PAN scan. {@link #reconnect} is the
 * broker-restart half: the ingest and the label producer must recover without a restart.
 */
public final class ApiChaos {
    private static final List<String> CALLERS = List.of("anonymous", "ANALYST", "LEAD", "ADMIN");
    private static final Set<String> OPERATIONAL = Set.of("audit_log", "flyway_schema_history");

    public record Settings(String bootstrap, URI api, String adminPassword, String jdbcUrl, String dbUser,
                           String dbPassword, Path run, Duration readFor, int readers, Duration timeout, Path report) {
    }

    private final Settings s;
    private final ApiClient client;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> sentByOutcome = new ConcurrentHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<Object> injected = new ArrayList<>();
    private final Path responses;

    private ApiChaos(Settings s) throws IOException {
        this.s = s;
        this.client = new ApiClient(s.api());
        this.responses = s.run().resolve("responses");
        Files.createDirectories(responses);
    }

    /** The whole scenario; true when it passed. */
    public static boolean run(Settings s) throws Exception {
        ApiChaos c = new ApiChaos(s);
        c.report.put("scenario", "api");
        long auditFrom = c.lastAuditId();
        c.users();
        c.readWhileIngesting();
        Known known = c.awaitIngest();
        if (known != null) {
            c.accessMatrix(known);
            c.attacks(known);
        }
        c.auditCheck(auditFrom);
        return c.finish();
    }

    /**
     * After a broker restart: every alert since the run started reaches the database (the ingest's
     * consumer reconnected) and a verdict given now reaches the labels topic (its producer did).
     */
    public static boolean reconnect(Settings s) throws Exception {
        ApiChaos c = new ApiChaos(s);
        c.report.put("scenario", "broker-restart:api");
        c.users();
        Known known = c.awaitIngest();
        if (known != null) {
            long at = System.currentTimeMillis();
            String analyst = c.tokens.get("ANALYST");
            c.call("POST", "/api/cases/" + known.caseId() + "/claim", analyst, null);
            ApiClient.Reply r = c.call("POST", "/api/cases/" + known.caseId() + "/resolve", analyst,
                    "{\"verdict\":\"CONFIRMED_FRAUD\"}");
            if (!r.ok()) {
                c.failures.add("resolving case " + known.caseId() + " after the restart: " + r.status() + " " + r.body());
            }
            long[] labels = {0};
            long deadline = System.currentTimeMillis() + s.timeout().toMillis();
            while (labels[0] == 0 && System.currentTimeMillis() < deadline) {
                ChaosVerify.read(s.bootstrap(), Topic.LABELS.topicName(), at, () -> false, Duration.ZERO, rec -> {
                    if (known.card().equals(rec.key())) {
                        labels[0]++;
                    }
                });
                if (labels[0] == 0) {
                    Thread.sleep(1_000);
                }
            }
            c.report.put("label_seconds", labels[0] == 0 ? null : (System.currentTimeMillis() - at) / 1000.0);
            if (labels[0] == 0) {
                c.failures.add("the verdict given after the broker restart never reached " + Topic.LABELS.topicName());
            }
        }
        return c.finish();
    }

    /** An alert the database holds: its id, its case and its card token. */
    record Known(String alertId, long caseId, String card) {
    }

    // ---- users ------------------------------------------------------------------------------------

    private void users() throws Exception {
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

    private String login(String user, String password) throws IOException, InterruptedException {
        expectAuditRow(200);
        return client.login(user, password);
    }

    /** One request the audit log must show, with this outcome. */
    private void expectAuditRow(int status) {
        sentByOutcome.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    // ---- 1: reads while the job's alerts are ingested ----------------------------------------------

    private void readWhileIngesting() throws Exception {
        Histogram latency = new Histogram(60_000_000_000L, 2);
        AtomicLong reads = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + s.readFor().toNanos();
        expectAuditRow(200); // the live stream's request
        LiveStream live = new LiveStream(s.api(), tokens.get("ANALYST"));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < s.readers(); i++) {
            boolean lead = i == 0;
            String token = tokens.get(lead ? "LEAD" : "ANALYST");
            SplittableRandom random = new SplittableRandom(i);
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < until) {
                        // One analyst's round: the open queue, an alert from it in full, its card's
                        // timeline, the latest alerts, the cases; a lead also the queue statistics.
                        List<String> paths = new ArrayList<>(List.of("/api/alerts?status=OPEN&limit=20"));
                        for (int p = 0; p < paths.size(); p++) {
                            long t0 = System.nanoTime();
                            ApiClient.Reply r = call("GET", paths.get(p), token, null);
                            synchronized (latency) {
                                latency.recordValue(Math.min(latency.getHighestTrackableValue(), System.nanoTime() - t0));
                            }
                            reads.incrementAndGet();
                            if (!r.ok()) {
                                errors.incrementAndGet();
                                if (examples.size() < 5) {
                                    examples.add("GET " + paths.get(p) + " -> " + r.status() + " " + abbreviate(r.body()));
                                }
                            }
                            if (p == 0) {
                                paths.addAll(followUps(r, lead, random));
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    examples.add("reader stopped: " + e);
                }
            }, "analyst-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long events = live.close();
        report.put("readers", s.readers());
        report.put("reads", reads.get());
        report.put("read_errors", errors.get());
        report.put("read_error_examples", examples);
        report.put("read_p50_ms", latency.getValueAtPercentile(50) / 1e6);
        report.put("read_p99_ms", latency.getValueAtPercentile(99) / 1e6);
        report.put("live_events", events);
        System.err.printf("  %,d reads by %d analysts during ingest: p50 %.1f ms, p99 %.1f ms, %d errors; %,d live events%n",
                reads.get(), s.readers(), latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                errors.get(), events);
        if (errors.get() > 0) {
            failures.add(errors.get() + " reads during ingest not answered 2xx, e.g. " + examples.get(0));
        }
        if (events == 0) {
            failures.add("the live stream delivered no alert while alerts were being ingested");
        }
    }

    /** What an analyst opens after the queue: an alert from it in full, its card's timeline, and the rest. */
    private static List<String> followUps(ApiClient.Reply queue, boolean lead, SplittableRandom random) throws IOException {
        List<String> paths = new ArrayList<>();
        if (queue.ok()) {
            List<Object> items = JsonTree.array(JsonTree.object(JsonTree.parse(queue.body().getBytes(StandardCharsets.UTF_8)), ""),
                    "items");
            if (!items.isEmpty()) {
                Map<?, ?> item = (Map<?, ?>) items.get(random.nextInt(items.size()));
                paths.add("/api/alerts/" + enc(String.valueOf(item.get("alertId"))));
                paths.add("/api/cards/" + enc(String.valueOf(item.get("cardToken"))) + "/timeline");
            }
        }
        paths.add("/api/alerts?limit=50");
        paths.add("/api/cases?limit=20");
        if (lead) {
            paths.add("/api/stats/queue");
        }
        return paths;
    }

    /** The live stream as an analyst's page holds it open: counts the alert events until closed. */
    private static final class LiveStream {
        private final AtomicLong events = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicReference<Stream<String>> lines = new java.util.concurrent.atomic.AtomicReference<>();
        private final CompletableFuture<Void> done;

        LiveStream(URI api, String token) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(api.toString().replaceAll("/$", "") + "/api/alerts/live"))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).build();
            done = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
                lines.set(r.body());
                r.body().forEach(line -> {
                    if (line.startsWith("event:") && line.contains("alert")) {
                        events.incrementAndGet();
                    }
                });
            });
        }

        /** Closes the stream (as a page that navigates away) and returns the events seen. */
        long close() {
            Stream<String> l = lines.get();
            if (l != null) {
                l.close();
            }
            try {
                done.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // closed under the reader, or never opened: the count is what it is
            }
            return events.get();
        }
    }

    // ---- 2: every alert of the run stored -----------------------------------------------------------

    private Known awaitIngest() throws Exception {
        long sinceMs = (long) JsonTree.number(JsonTree.object(JsonTree.parse(Files.readAllBytes(s.run().resolve("traffic.json"))), ""),
                "since_ms");
        long deadline = System.currentTimeMillis() + s.timeout().toMillis();
        Set<String> onTopic = new HashSet<>();
        long records = 0;
        Set<String> missing;
        int quiet = 0;
        while (true) {
            long[] seen = {0};
            ChaosVerify.read(s.bootstrap(), Topic.ALERTS.topicName(), sinceMs, () -> false, Duration.ZERO, r -> {
                seen[0]++;
                Decoded<Alert> a = AlertCodec.INSTANCE.decode(r.value());
                if (a.isOk()) {
                    onTopic.add(a.value().alertId());
                }
            });
            missing = notStored(onTopic);
            quiet = seen[0] == records ? quiet + 1 : 0;
            records = seen[0];
            // Stored, and the topic quiet for two rounds: the job has decided the run's traffic.
            if (missing.isEmpty() && quiet >= 2 || System.currentTimeMillis() > deadline) {
                break;
            }
            Thread.sleep(1_000);
        }
        report.put("alerts_on_topic", onTopic.size());
        report.put("alert_records_on_topic", records);
        report.put("decided", onTopic.size() - missing.size());
        report.put("missing", missing.size());
        System.err.printf("  %,d alerts on %s since the run started (%,d records), %,d of them not stored%n", onTopic.size(),
                Topic.ALERTS.topicName(), records, missing.size());
        if (!missing.isEmpty()) {
            failures.add(missing.size() + " alerts on the topic never stored, e.g. " + missing.iterator().next());
        }
        if (onTopic.isEmpty()) {
            failures.add("the run produced no alert, so nothing was ingested");
            return null;
        }
        // An alert of this run whose case is still open: the matrix and the verdict need one.
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT a.alert_id, a.case_id, a.card_token"
                + " FROM alerts a JOIN cases c ON c.case_id = a.case_id WHERE c.status = 'OPEN' AND a.alert_id = ANY (?)"
                + " ORDER BY a.created_at DESC LIMIT 1")) {
            ps.setArray(1, c.createArrayOf("text", onTopic.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Known(rs.getString(1), rs.getLong(2), rs.getString(3));
                }
            }
        }
        failures.add("no alert of this run has an open case");
        return null;
    }

    private Set<String> notStored(Set<String> ids) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT alert_id FROM alerts WHERE alert_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(stored);
        return missing;
    }

    // ---- 3: every endpoint × every role -------------------------------------------------------------

    /** An endpoint and the least role it needs ("anonymous" when open to all). */
    record Endpoint(String method, String path, String body, String least) {
    }

    private void accessMatrix(Known k) throws Exception {
        List<Endpoint> endpoints = List.of(
                new Endpoint("GET", "/api/alerts", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts?status=OPEN&minScore=0.5", null, "ANALYST"),
                new Endpoint("GET", "/api/alerts/" + enc(k.alertId()), null, "ANALYST"),
                new Endpoint("GET", "/api/cases", null, "ANALYST"),
                new Endpoint("GET", "/api/cases/" + k.caseId(), null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/notes", "{\"text\":\"checked during the chaos run\"}", "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/assign", "{\"assignee\":\"chaos-analyst\"}", "LEAD"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/claim", null, "ANALYST"),
                new Endpoint("POST", "/api/cases/" + k.caseId() + "/resolve", "{\"verdict\":\"FALSE_POSITIVE\"}", "ANALYST"),
                new Endpoint("GET", "/api/cards/" + enc(k.card()) + "/timeline", null, "ANALYST"),
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
            for (String caller : CALLERS) {
                ApiClient.Reply r = call(e.method(), e.path(), tokens.get(caller), e.body());
                checks++;
                // Allowed means served: 2xx, or a 409 of the case's own state (claimed, already resolved).
                int expected = CALLERS.indexOf(caller) >= CALLERS.indexOf(e.least()) ? 200
                        : caller.equals("anonymous") ? 401 : 403;
                boolean ok = expected == 200 ? r.ok() || r.status() == 409 : r.status() == expected;
                if (!ok) {
                    wrong.add(caller + " " + e.method() + " " + e.path() + " -> " + r.status() + " (expected " + expected + ")");
                }
            }
        }
        report.put("access_checks", checks);
        report.put("access_wrong", wrong);
        System.err.printf("  access: %d endpoint × caller checks, %d wrong%n", checks, wrong.size());
        if (!wrong.isEmpty()) {
            failures.add(wrong.size() + " endpoint × role answers wrong, e.g. " + wrong.get(0));
        }
    }

    // ---- 4: hostile requests ------------------------------------------------------------------------

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

    List<Attack> hostileRequests(Known k) {
        String sqlOr = enc("x' OR '1'='1");
        String drop = enc("'; DROP TABLE alerts; --");
        String note = "/api/cases/" + k.caseId() + "/notes";
        String[] jwt = tokens.get("ANALYST").split("\\.");
        String adminClaims = b64("{\"sub\":\"chaos-analyst\",\"roles\":[\"ADMIN\"],\"exp\":4102444800}");
        return List.of(
                new Attack("sqli status filter", "GET", "/api/alerts?status=" + sqlOr, "ANALYST", null),
                new Attack("sqli card filter", "GET", "/api/alerts?card=" + sqlOr, "ANALYST", null),
                new Attack("sqli pattern filter", "GET", "/api/alerts?pattern=" + drop, "ANALYST", null),
                new Attack("sqli score filter", "GET", "/api/alerts?minScore=" + enc("0 OR 1=1"), "ANALYST", null),
                new Attack("sqli cursor", "GET", "/api/alerts?cursor=" + drop, "ANALYST", null),
                new Attack("sqli alert id", "GET", "/api/alerts/" + drop, "ANALYST", null),
                new Attack("sqli case id", "GET", "/api/cases/" + enc("1 OR 1=1"), "ANALYST", null),
                new Attack("sqli card timeline", "GET", "/api/cards/" + sqlOr + "/timeline", "ANALYST", null),
                new Attack("sqli audit user", "GET", "/api/audit?user=" + sqlOr, "ADMIN", null),
                new Attack("sqli login", "POST", "/login", "anonymous", "{\"username\":\"admin' --\",\"password\":\"x\"}"),
                new Attack("sqli new user", "POST", "/api/users", "ADMIN",
                        "{\"username\":\"robert'); DROP TABLE users;--\",\"password\":\"long-enough-password\",\"role\":\"ANALYST\"}"),
                new Attack("sqli verdict", "POST", "/api/cases/" + k.caseId() + "/resolve", "ANALYST",
                        "{\"verdict\":\"CONFIRMED_FRAUD'; UPDATE cases SET status='OPEN'; --\"}"),
                new Attack("sqli user patch", "PATCH", "/api/users/" + enc("chaos-analyst' OR '1'='1"), "ADMIN",
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
                        + b64("{\"alg\":\"none\"}") + "." + adminClaims + ".")),
                new Attack("token with claims swapped", "GET", "/api/users", null, null, Map.of("Authorization", "Bearer "
                        + jwt[0] + "." + adminClaims + "." + jwt[2])),
                new Attack("garbage token", "GET", "/api/alerts", null, null, Map.of("Authorization", "Bearer not-a-token")),
                new Attack("analyst creates an admin", "POST", "/api/users", "ANALYST",
                        "{\"username\":\"mallory\",\"password\":\"long-enough-password\",\"role\":\"ADMIN\"}"),
                new Attack("anonymous resolves a case", "POST", "/api/cases/" + k.caseId() + "/resolve", "anonymous",
                        "{\"verdict\":\"FALSE_POSITIVE\"}"),
                new Attack("path traversal", "GET", "/api/alerts/..%2f..%2fetc%2fpasswd", "ANALYST", null));
    }

    private void attacks(Known k) throws Exception {
        Map<String, String> before = settledDigest();
        List<Object> results = new ArrayList<>();
        List<String> notRefused = new ArrayList<>();
        for (Attack a : hostileRequests(k)) {
            ApiClient.Reply r;
            try {
                r = call(a.method(), a.path(), a.caller() == null ? null : tokens.get(a.caller()), a.body(), a.headers(),
                        a.parsed());
            } catch (IOException e) {
                r = new ApiClient.Reply(-1, "no answer: " + e);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attack", a.name());
            m.put("status", r.status());
            m.put("audited", a.parsed());
            m.put("answer", abbreviate(r.body()));
            results.add(m);
            injected.add(new ChaosVerify.Fault("hostile-request", System.currentTimeMillis(), a.name()).toReport());
            if (r.status() < 400 || r.status() >= 500) {
                notRefused.add(a.name() + " -> " + r.status());
            }
        }
        Map<String, String> after = digest();
        List<String> changed = new ArrayList<>();
        before.forEach((table, d) -> {
            if (!d.equals(after.get(table))) {
                changed.add(table);
            }
        });
        report.put("attacks", results);
        report.put("attacks_not_refused", notRefused);
        report.put("tables_checked", before.keySet());
        report.put("tables_changed_by_attacks", changed);
        System.err.printf("  %d hostile requests: %d not refused with a 4xx; tables changed: %s%n", results.size(),
                notRefused.size(), changed);
        if (!notRefused.isEmpty()) {
            failures.add("hostile requests not refused with a 4xx: " + notRefused);
        }
        if (!changed.isEmpty()) {
            failures.add("hostile requests changed " + changed);
        }
    }

    /** The business tables' digests once two readings a second apart agree (label flushes settle). */
    private Map<String, String> settledDigest() throws Exception {
        Map<String, String> last = digest();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1_000);
            Map<String, String> now = digest();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new IllegalStateException("the database kept changing with no traffic: cannot judge the attacks");
    }

    /** md5 of every row of every table but the audit log and Flyway's history, in a fixed order. */
    private Map<String, String> digest() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db()) {
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

    // ---- 5: one audit row per request ---------------------------------------------------------------

    private long lastAuditId() throws SQLException {
        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(audit_id), 0) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void auditCheck(long fromId) throws Exception {
        Thread.sleep(1_000); // the live stream's row is written when it closes
        Map<Integer, Long> rows = new TreeMap<>();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
                "SELECT outcome, count(*) FROM audit_log WHERE audit_id > ? GROUP BY outcome")) {
            ps.setLong(1, fromId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        Map<Integer, Long> sent = new TreeMap<>();
        sentByOutcome.forEach((k, v) -> sent.put(k, v.get()));
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        long requests = sent.values().stream().mapToLong(Long::longValue).sum();
        report.put("audited_requests_sent", requests);
        report.put("audit_rows_written", total);
        report.put("requests_by_status", sent);
        report.put("audit_rows_by_outcome", rows);
        System.err.printf("  audit: %,d requests to /api and /login, %,d rows written%n", requests, total);
        if (total != requests || !rows.equals(sent)) {
            failures.add(String.format("audit log: %,d requests by status %s, %,d rows by outcome %s", requests, sent,
                    total, rows));
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    private ApiClient.Reply call(String method, String path, String token, String body) throws IOException, InterruptedException {
        return call(method, path, token, body, Map.of(), true);
    }

    /** Sends, counts what the audit log must show, and keeps the body for the PAN scan. */
    private ApiClient.Reply call(String method, String path, String token, String body, Map<String, String> headers,
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

    private Connection db() throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.dbUser(), s.dbPassword());
    }

    private boolean finish() throws IOException {
        report.put("injected_faults", injected);
        report.put("failures", failures);
        report.put("pass", failures.isEmpty());
        Files.createDirectories(s.report());
        Files.writeString(s.report().resolve("report.json"), Reports.json(report) + "\n");
        System.out.printf("%s: %s%s%n", report.get("scenario"), failures.isEmpty() ? "PASS" : "FAIL",
                failures.isEmpty() ? "" : " — " + String.join("; ", failures));
        return failures.isEmpty();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
