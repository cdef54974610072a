package dev.vigil.alertapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.testkit.kafka.RealKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service against the real broker and a real PostgreSQL: ingest (idempotent, dead letters,
 * metrics), the queue and its filters, alert detail, case work down to the labels on Kafka, and
 * clear 4xx answers to bad input.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertApiIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("alertapi");
    private static final long NOW = System.currentTimeMillis();

    @Inject
    EmbeddedServer server;

    private Api api;
    private String admin;
    private String alice;
    private String bob;

    @Override
    public Map<String, String> getProperties() {
        return SERVICES.properties();
    }

    @BeforeAll
    void users() {
        api = new Api(server.getURI());
        admin = api.login(TestServices.ADMIN, SERVICES.adminPassword);
        for (String name : List.of("alice", "bob")) {
            assertEquals(201, api.post("/api/users", admin,
                    Map.of("username", name, "password", "set-by-admin-1", "role", "ANALYST")).status());
        }
        alice = api.firstLogin("alice", "set-by-admin-1", "chosen-by-user-2");
        bob = api.firstLogin("bob", "set-by-admin-1", "chosen-by-user-2");
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    @Test
    void ingestIsIdempotentJoinsCasesAndDeadLettersWhatDoesNotDecode() throws Exception {
        List<String> cards = List.of(Alerts.newCard(), Alerts.newCard(), Alerts.newCard());
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(Alerts.record(Alerts.model(cards.get(i % 3), "auth-ing-" + UUID.randomUUID(), NOW - i * 1000L,
                    0.8f, Action.REVIEW)));
        }
        List<Map.Entry<String, byte[]>> all = new ArrayList<>(records);
        all.addAll(records);  // every alert redelivered
        all.add(Map.entry("k", "not json at all".getBytes(StandardCharsets.UTF_8)));
        all.add(Map.entry("k", "{\"v\":1,\"alertId\":\"x\",".getBytes(StandardCharsets.UTF_8)));
        all.add(Map.entry("k", "{\"v\":1,\"alertId\":\"pan 4111111111111111 here\"}".getBytes(StandardCharsets.UTF_8)));
        SERVICES.produce(SERVICES.alertsTopic, all);

        await("30 alerts of the three cards stored", () -> count(
                "SELECT count(*) FROM alerts WHERE card_token = ANY (?)", cards) == 30);
        List<ConsumerRecord<String, byte[]>> dead = RealKafka.readAll(SERVICES.dlqTopic, 3, Duration.ofSeconds(30));
        assertEquals(3, dead.size(), "every undecodable record is dead-lettered once");
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertNotNull(r.headers().lastHeader("vigil-dlq-reason"), "a dead letter carries its reason");
            assertFalse(new String(r.value(), StandardCharsets.UTF_8).contains("4111111111111111"),
                    "no PAN in clear on the dead-letter topic");
        }
        Thread.sleep(1_000);  // give a late duplicate every chance to show up
        assertEquals(30, count("SELECT count(*) FROM alerts WHERE card_token = ANY (?)", cards));
        assertEquals(3, count("SELECT count(*) FROM cases WHERE card_token = ANY (?)", cards),
                "one case per card");
        assertEquals(30, count("SELECT sum(alert_count) FROM cases WHERE card_token = ANY (?)", cards),
                "redeliveries do not count twice");

        String metrics = api.get("/prometheus", null).body();
        assertTrue(metrics.contains("vigil_alerts_ingested_total"), metrics);
        assertTrue(metrics.contains("vigil_alerts_consumer_lag"), metrics);
        assertTrue(metrics.contains("vigil_alerts_ingest_rate"), metrics);
        assertTrue(metrics.contains("vigil_alerts_rejected_total 3.0"), "three rejected: " + metrics);
    }

    @Test
    void queueFiltersAndPagesByCursor() throws Exception {
        String card = Alerts.newCard();
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            alerts.add(Alerts.model(card, "auth-q-" + i + "-" + UUID.randomUUID(), NOW - 60_000L * i,
                    i < 3 ? 0.95f : 0.55f, i < 3 ? Action.DECLINE : Action.REVIEW));
        }
        alerts.add(Alerts.pattern(card, "CARD_TESTING", "auth-q-trigger-" + UUID.randomUUID(),
                List.of("p1-" + UUID.randomUUID()), NOW - 1_000_000));
        SERVICES.produce(SERVICES.alertsTopic, alerts.stream().map(Alerts::record).toList());
        await("8 alerts", () -> count("SELECT count(*) FROM alerts WHERE card_token = ANY (?)", List.of(card)) == 8);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/api/alerts?card=" + card + "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    alice).json();
            page.get("items").forEach(i -> seen.add(i.get("alertId").asText()));
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(8, seen.size());
        assertEquals(8, new HashSet<>(seen).size(), "no alert on two pages");
        assertEquals(alerts.get(0).alertId(), seen.get(0), "newest first");

        assertEquals(3, api.get("/api/alerts?card=" + card + "&minScore=0.9", alice).json().get("items").size());
        assertEquals(4, api.get("/api/alerts?card=" + card + "&maxScore=0.6", alice).json().get("items").size());
        JsonNode testing = api.get("/api/alerts?card=" + card + "&pattern=CARD_TESTING&status=OPEN", alice).json();
        assertEquals(1, testing.get("items").size());
        assertNull(testing.get("items").get(0).get("score").numberValue(), "a pattern alert has no model score");
        String from = java.time.Instant.ofEpochMilli(NOW - 150_000).toString();
        assertEquals(3, api.get("/api/alerts?card=" + card + "&from=" + from, alice).json().get("items").size());
    }

    @Test
    void detailShowsDecisionReasonsPatternAndRecentActivityWithTheCardMasked() throws Exception {
        String card = Alerts.newCard();
        Alert alert = Alerts.model(card, "auth-d-" + UUID.randomUUID(), NOW, 0.97f, Action.DECLINE);
        Alert testing = Alerts.pattern(card, "CARD_TESTING", "auth-d2-" + UUID.randomUUID(),
                List.of("probe-a-" + UUID.randomUUID(), "probe-b-" + UUID.randomUUID()), NOW - 5_000);
        SERVICES.produce(SERVICES.alertsTopic, List.of(Alerts.record(alert), Alerts.record(testing)));
        await("2 alerts", () -> count("SELECT count(*) FROM alerts WHERE card_token = ANY (?)", List.of(card)) == 2);

        Api.Reply reply = api.get("/api/alerts/" + alert.alertId(), alice);
        assertEquals(200, reply.status());
        JsonNode d = reply.json();
        assertEquals("411111******1111", d.get("alert").get("card").asText());
        assertEquals("DECLINE", d.get("decision").get("action").asText());
        assertEquals("amount_vs_card_p95", d.get("decision").get("reasons").get(0).asText());
        assertEquals("v20240301-7", d.get("decision").get("modelVersion").asText());
        assertEquals(1, d.get("recentAuthorizations").size());
        assertEquals(2, d.get("cardAlerts").size(), "the card's other alerts are listed");
        assertFalse(reply.body().contains("4111111111111111"));

        JsonNode p = api.get("/api/alerts/" + testing.alertId(), alice).json();
        assertEquals("CARD_TESTING", p.get("pattern").asText());
        assertEquals(3, p.get("relatedAuthorizationIds").size());

        JsonNode timeline = api.get("/api/cards/" + card + "/timeline", alice).json();
        assertEquals("411111******1111", timeline.get("card").asText());
        assertEquals(4, timeline.get("authorizations").size(), "trigger, two probes, the model alert's authorization");
        assertEquals(404, api.get("/api/alerts/alt-does-not-exist", alice).status());
    }

    @Test
    void resolvingACasePublishesOneLabelPerCoveredAuthorizationAndARetryPublishesNothing() throws Exception {
        String card = Alerts.newCard();
        String trigger = "auth-r-" + UUID.randomUUID();
        List<String> probes = List.of("probe-1-" + UUID.randomUUID(), "probe-2-" + UUID.randomUUID(),
                "probe-3-" + UUID.randomUUID());
        Alert pattern = Alerts.pattern(card, "CARD_TESTING", trigger, probes, NOW);
        Alert model = Alerts.model(card, trigger, NOW + 5, 0.99f, Action.DECLINE);
        SERVICES.produce(SERVICES.alertsTopic, List.of(Alerts.record(pattern), Alerts.record(model)));
        await("2 alerts", () -> count("SELECT count(*) FROM alerts WHERE card_token = ANY (?)", List.of(card)) == 2);
        long caseId = api.get("/api/alerts/" + model.alertId(), alice).json().get("alert").get("caseId").asLong();

        assertEquals(200, api.post("/api/cases/" + caseId + "/claim", alice, null).status());
        Api.Reply taken = api.post("/api/cases/" + caseId + "/claim", bob, null);
        assertEquals(409, taken.status());
        assertTrue(taken.json().get("message").asText().contains("claimed by alice"), taken.body());
        assertEquals(409, api.post("/api/cases/" + caseId + "/resolve", bob, Map.of("verdict", "FALSE_POSITIVE")).status(),
                "only the holder (or a lead) resolves");
        assertEquals(201, api.post("/api/cases/" + caseId + "/notes", alice, Map.of("text", "Probes then a TV.")).status());

        Api.Reply resolved = api.post("/api/cases/" + caseId + "/resolve", alice,
                Map.of("verdict", "CONFIRMED_FRAUD", "note", "Customer confirmed."));
        assertEquals(200, resolved.status(), resolved.body());
        assertEquals(4, resolved.json().get("labelsCreated").asInt());
        assertEquals("RESOLVED", resolved.json().get("resolvedCase").get("status").asText());

        Set<String> expected = new HashSet<>();
        expected.add(Label.idFor(trigger, LabelSource.ANALYST));
        probes.forEach(p -> expected.add(Label.idFor(p, LabelSource.ANALYST)));
        List<ConsumerRecord<String, byte[]>> labels = RealKafka.readAll(SERVICES.labelsTopic, 4, Duration.ofSeconds(30));
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : labels) {
            Label label = LabelCodec.INSTANCE.decode(r.value()).value();
            if (label.cardToken().equals(card)) {
                ids.add(label.labelId());
                assertTrue(label.fraud());
                assertEquals(LabelSource.ANALYST, label.source());
                assertEquals("alice", label.analyst());
                assertEquals(card, r.key());
            }
        }
        assertEquals(expected, ids);

        Api.Reply again = api.post("/api/cases/" + caseId + "/resolve", alice,
                Map.of("verdict", "CONFIRMED_FRAUD", "note", "Customer confirmed."));
        assertEquals(200, again.status());
        assertTrue(again.json().get("repeated").asBoolean());
        assertEquals(0, again.json().get("labelsCreated").asInt());
        assertEquals(409, api.post("/api/cases/" + caseId + "/resolve", alice, Map.of("verdict", "FALSE_POSITIVE")).status());
        Thread.sleep(2_000);  // past an outbox retry
        long ofCard = RealKafka.readAll(SERVICES.labelsTopic, 1_000, Duration.ofSeconds(3)).stream()
                .filter(r -> card.equals(r.key())).count();
        assertEquals(4, ofCard, "a retried resolve publishes nothing new");
        assertEquals(0, count("SELECT count(*) FROM label_outbox WHERE published_at IS NULL AND card_token = ANY (?)",
                List.of(card)));
        // Each resolve request has exactly one audit row; the one that changed the case wrote it in
        // the resolving transaction, with what it did; the repeat and the refusal got the filter's.
        String resolve = "/api/cases/" + caseId + "/resolve";
        assertEquals(4, count("SELECT count(*) FROM audit_log WHERE resource = ANY (?)", List.of(resolve)));
        assertEquals(1, count("SELECT count(*) FROM audit_log WHERE resource = ANY (?) AND outcome = 200 AND detail = "
                + "'case " + caseId + " resolved as CONFIRMED_FRAUD, 4 label(s) to the outbox'", List.of(resolve)));

        Alert later = Alerts.model(card, "auth-r-later-" + UUID.randomUUID(), NOW + 60_000, 0.7f, Action.REVIEW);
        SERVICES.produce(SERVICES.alertsTopic, List.of(Alerts.record(later)));
        await("the later alert", () -> count("SELECT count(*) FROM alerts WHERE card_token = ANY (?)", List.of(card)) == 3);
        long newCase = api.get("/api/alerts/" + later.alertId(), alice).json().get("alert").get("caseId").asLong();
        assertTrue(newCase != caseId, "an alert after the verdict opens a new case");
    }

    @Test
    void badRequestsGetAClear4xxAndChangeNothing() throws Exception {
        long alertsBefore = count("SELECT count(*) FROM alerts WHERE card_token <> ALL (?)", List.of());
        assertBad(api.get("/api/alerts?status=MAYBE", alice), 400, "status must be OPEN or RESOLVED");
        assertBad(api.get("/api/alerts?minScore=2", alice), 400, "minScore must be between 0 and 1");
        assertBad(api.get("/api/alerts?minScore=abc", alice), 400, "minScore");
        assertBad(api.get("/api/alerts?cursor=bm90LWEtY3Vyc29y", alice), 400, "cursor");
        assertBad(api.get("/api/alerts?limit=100000", alice), 400, "limit");
        assertBad(api.get("/api/alerts?from=yesterday", alice), 400, "ISO-8601");
        assertBad(api.get("/api/alerts?card=x%27%20OR%20%271%27%3D%271", alice), 400, "card must be a card token");
        assertBad(api.get("/api/alerts?pattern=%27%3B%20DROP%20TABLE%20alerts%3B%20--", alice), 400, "pattern");
        assertBad(api.post("/api/cases/1/resolve", alice, Map.of("verdict", "PROBABLY")), 400, "");
        assertBad(api.post("/api/cases/1/resolve", alice, "{\"verdict\": "), 400, "");
        assertBad(api.post("/api/cases/1/notes", alice, Map.of("text", "x".repeat(5000))), 400, "text");
        assertBad(api.post("/api/cases/1/notes", alice, Map.of("text", "y".repeat(70_000))), 413, "");
        assertBad(api.post("/api/cases/999999999/claim", alice, null), 404, "case 999999999 not found");
        assertBad(api.post("/api/users", admin, Map.of("username", "Robert'); DROP TABLE users;--",
                "password", "long-enough-password", "role", "ANALYST")), 400, "username");
        assertBad(api.post("/api/users", admin, Map.of("username", "carol", "password", "short", "role", "ANALYST")),
                400, "password");
        assertBad(api.get("/api/audit?user=x%27%20OR%20%271%27%3D%271", admin), 400, "user: username must be");
        assertEquals(alertsBefore, count("SELECT count(*) FROM alerts WHERE card_token <> ALL (?)", List.of()));
        assertTrue(count("SELECT count(*) FROM users WHERE username <> ALL (?)", List.of()) >= 3, "users intact");
    }

    @Test
    void aPanTypedIntoTheApiIsRefusedAndTheAuditLogKeepsItMasked() throws Exception {
        String pan = "4111111111111111";
        long before = count("SELECT count(*) FROM audit_log WHERE username <> ALL (?)", List.of());
        assertBad(api.get("/api/alerts?card=" + pan, alice), 400, "card must be a card token");
        assertBad(api.get("/api/alerts?card=4111%201111%201111%201111", alice), 400, "card must be a card token");
        assertBad(api.get("/api/cards/" + pan + "/timeline", alice), 400, "card token");
        assertBad(api.post("/api/cases/1/notes", alice, Map.of("text", "customer read out 4111 1111 1111 1111")), 400,
                "a note must not hold a card number");
        assertBad(api.post("/api/cases/1/resolve", alice, Map.of("verdict", "FALSE_POSITIVE", "note", "pan " + pan)), 400,
                "a note must not hold a card number");
        // A Maestro number: in no issuer range the scanner knows, but Luhn-valid and card-like, so refused
        // in a note and masked in the audit log all the same.
        String maestro = luhnComplete("675964982643845");
        assertBad(api.post("/api/cases/1/notes", alice, Map.of("text", "card " + maestro.replaceAll("(\\d{4})", "$1 ").trim())),
                400, "a note must not hold a card number");
        assertBad(api.get("/api/alerts?card=" + maestro, alice), 400, "card must be a card token");
        Api.Reply unknownCase = api.get("/api/cases/" + pan, alice);
        assertEquals(404, unknownCase.status(), unknownCase.body());
        assertFalse(unknownCase.body().contains(pan), "the 404 names the case masked: " + unknownCase.body().replaceAll("[0-9]", "#"));
        await("the eight audit rows", () -> count("SELECT count(*) FROM audit_log WHERE username <> ALL (?)", List.of())
                >= before + 8);
        List<String> resources = new ArrayList<>();
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT resource FROM audit_log WHERE audit_id > (SELECT max(audit_id) - 50 FROM audit_log)");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                resources.add(rs.getString(1));
            }
        }
        for (String r : resources) {
            assertFalse(r.replaceAll("[^0-9]", "").contains(pan), "a PAN in the audit log: " + r.replaceAll("[0-9]", "#"));
            assertFalse(r.replaceAll("[^0-9]", "").contains(maestro), "a PAN in the audit log: " + r.replaceAll("[0-9]", "#"));
        }
        assertTrue(resources.contains("/api/alerts?card=****************"), "the refused request is audited, masked");
        assertTrue(resources.contains("/api/cards/****************/timeline"), "the refused request is audited, masked");
    }

    @Test
    void aBurstOfAlertsReachesAnOpenLiveStreamWhole() throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                        server.getURI().resolve("/api/alerts/live")).header("Authorization", "Bearer " + bob).build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> response.body().forEach(line -> {
            if (line.equals("event: ready")) {
                ready.countDown();
            } else if (line.startsWith("id:")) {
                if (ids.isEmpty()) {
                    pause(Duration.ofSeconds(3)); // a browser busy for a moment: the server must hold the rest
                }
                ids.add(line.substring("id:".length()).trim());
            }
        }));
        reader.start();
        assertTrue(ready.await(10, TimeUnit.SECONDS), "the stream says it is ready");

        // One burst of a full polled batch (the ingest's max.poll.records), stored at once and pushed
        // to the open streams faster than the socket drains: every alert of it reaches this reader.
        List<Map.Entry<String, byte[]>> burst = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Alert a = Alerts.model(Alerts.newCard(), "auth-live-" + UUID.randomUUID(), NOW - i, 0.9f, Action.DECLINE);
            burst.add(Alerts.record(a));
            sent.add(a.alertId());
        }
        SERVICES.produce(SERVICES.alertsTopic, burst);
        try {
            await("the burst on the live stream", () -> ids.containsAll(sent));
        } catch (AssertionError e) {
            Set<String> got = new HashSet<>(ids);
            got.retainAll(sent);
            throw new AssertionError(e.getMessage() + ": " + got.size() + " of " + sent.size() + " arrived; "
                    + String.join("; ", api.get("/prometheus", null).body().lines()
                    .filter(l -> l.startsWith("vigil_alerts")).toList()));
        }
        response.body().close();
        reader.join(10_000);
        String metrics = api.get("/prometheus", null).body();
        java.util.regex.Matcher ok = java.util.regex.Pattern.compile("vigil_alerts_live_pushes_total\\{result=\"OK\"} ([0-9.E]+)")
                .matcher(metrics);
        assertTrue(ok.find(), "pushes counted by outcome: " + metrics);
        assertTrue(Double.parseDouble(ok.group(1)) >= sent.size(), "every alert of the burst counted as pushed: " + ok.group(1));
        assertTrue(java.util.regex.Pattern.compile("(?m)^vigil_alerts_live_overflows_total(\\{[^}]*})? 0\\.0$")
                .matcher(metrics).find(), "no stream overflowed: " + metrics);
    }

    @Test
    void aServerFaultAnswersAReferenceAndNoInternalText() {
        // A cursor this service could have issued, but for a time PostgreSQL cannot hold: the query fails.
        String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString((Long.MAX_VALUE + "|x").getBytes(StandardCharsets.UTF_8));
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(dev.vigil.alertapi.InternalErrors.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        Api.Reply r;
        try {
            r = api.get("/api/alerts?cursor=" + cursor, alice);
        } finally {
            log.detachAppender(logged);
        }
        assertEquals(500, r.status(), r.body());
        assertTrue(r.body().matches("\\{\"message\":\"internal error; reference [0-9a-f]{16}\"}"), r.body());
        // The detail the caller does not get is in the log, under the reference the caller got.
        String reference = r.body().replaceAll(".*reference ([0-9a-f]{16}).*", "$1");
        assertTrue(logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("reference " + reference) && m.contains("/api/alerts") && m.contains("at dev.vigil")),
                "the log has the reference, the path and the stack trace");
    }

    /** {@code partial} with the check digit that makes it pass Luhn. */
    private static String luhnComplete(String partial) {
        for (char d = '0'; d <= '9'; d++) {
            String candidate = partial + d;
            int sum = 0;
            for (int i = 0; i < candidate.length(); i++) {
                int v = candidate.charAt(candidate.length() - 1 - i) - '0';
                sum += i % 2 == 1 ? (v * 2 > 9 ? v * 2 - 9 : v * 2) : v;
            }
            if (sum % 10 == 0) {
                return candidate;
            }
        }
        throw new AssertionError("no check digit");
    }

    private static void assertBad(Api.Reply reply, int status, String messagePart) {
        assertEquals(status, reply.status(), reply.body());
        if (!messagePart.isEmpty()) {
            assertTrue(reply.body().contains(messagePart), "message names the problem: " + reply.body());
        }
    }

    static long count(String sql, List<String> values) {
        try (Connection c = SERVICES.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", values.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
