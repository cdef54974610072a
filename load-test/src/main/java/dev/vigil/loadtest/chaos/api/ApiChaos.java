package dev.vigil.loadtest.chaos.api;

import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.loadtest.chaos.ChaosVerify;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The alert API under load and attack, judged against its PostgreSQL database and the alerts topic:
 * <ol>
 *   <li>analysts read (queue, detail, card timeline, cases; a lead the queue statistics; one live
 *   stream, open until the run's alerts are stored, must deliver some) while the scoring job's alerts
 *   are ingested: every read answered 2xx;</li>
 *   <li>every alert the job wrote to Kafka since the run started is stored, once;</li>
 *   <li>every endpoint × every role and anonymous: 401 without a token, 403 below the endpoint's
 *   role, served at or above it;</li>
 *   <li>SQL injection, oversized, malformed and forged requests: every one a 4xx, and the business
 *   tables are byte-for-byte what they were before;</li>
 *   <li>the audit log grew by exactly one row per request the client made, with the same outcomes.</li>
 * </ol>
 * One class per check ({@link ReadsDuringIngest}, {@link AlertsStored}, {@link AccessMatrix},
 * {@link HostileRequests}, {@link AuditTrail}), sharing one {@link ApiRun}. Every response body is
 * kept under {@code run/responses} for the PAN scan. {@link #reconnect} is the broker-restart half:
 * the ingest and the label producer must recover without a restart.
 */
public final class ApiChaos {

    public record Settings(String bootstrap, URI api, String adminPassword, String jdbcUrl, String dbUser,
                           String dbPassword, Path run, Duration readFor, int readers, Duration timeout, Path report,
                           Path ready) {
    }

    private ApiChaos() {
    }

    /** The whole scenario; true when it passed. */
    public static boolean run(Settings s) throws Exception {
        ApiRun run = new ApiRun(s);
        run.report.put("scenario", "api");
        long auditFrom = AuditTrail.lastAuditId(run);
        run.users();
        run.expectAuditRow(200); // the live stream's request
        LiveStream live = new LiveStream(s.api(), run.tokens.get("ANALYST"));
        if (!live.awaitReady(Duration.ofSeconds(60))) {
            run.failures.add("the live stream was not ready within 60 s");
        }
        awaitTraffic(s);
        ReadsDuringIngest.check(run);
        Known known = AlertsStored.check(run);
        String liveFailure = live.close();
        run.report.put("live_pushes", livePushes(run));
        run.report.put("live_events", live.alerts());
        System.err.printf("  the live stream delivered %,d alerts (the API's pushes by outcome: %s)%n", live.alerts(),
                run.report.get("live_pushes"));
        if (liveFailure != null) {
            run.failures.add(liveFailure);
        }
        if (known != null) {
            AccessMatrix.check(run, known);
            HostileRequests.check(run, known);
        }
        AuditTrail.check(run, auditFrom);
        return run.finish();
    }

    /**
     * Says the judge is ready (users made, live stream open) by creating {@code s.ready()}, then waits
     * for the traffic that the suite starts only then. Without a ready file the traffic is already running.
     */
    private static void awaitTraffic(Settings s) throws Exception {
        if (s.ready() == null) {
            return;
        }
        Files.writeString(s.ready(), "ready\n");
        Path traffic = s.run().resolve("traffic.json");
        long deadline = System.nanoTime() + s.timeout().toNanos();
        while (!Files.exists(traffic)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no traffic started in " + s.timeout() + " (" + traffic + ")");
            }
            Thread.sleep(100);
        }
    }

    /** The API's own count of live pushes by outcome (its Prometheus endpoint), as "OK=903, ..." */
    private static String livePushes(ApiRun run) throws Exception {
        ApiClient.Reply metrics = run.call("GET", "/prometheus", null, null);
        return metrics.body().lines().filter(l -> l.startsWith("vigil_alerts_live_pushes_total{"))
                .map(l -> l.replaceAll(".*result=\"([A-Z_]+)\"} ([0-9.]+).*", "$1=$2").replace(".0", ""))
                .filter(l -> !l.endsWith("=0")).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * After a broker restart: every alert since the run started reaches the database (the ingest's
     * consumer reconnected) and a verdict given now reaches the labels topic (its producer did).
     */
    public static boolean reconnect(Settings s) throws Exception {
        ApiRun run = new ApiRun(s);
        run.report.put("scenario", "broker-restart:api");
        run.users();
        Known known = AlertsStored.check(run);
        if (known != null) {
            long at = System.currentTimeMillis();
            String analyst = run.tokens.get("ANALYST");
            run.call("POST", "/api/cases/" + known.caseId() + "/claim", analyst, null);
            ApiClient.Reply r = run.call("POST", "/api/cases/" + known.caseId() + "/resolve", analyst,
                    "{\"verdict\":\"CONFIRMED_FRAUD\"}");
            if (!r.ok()) {
                run.failures.add("resolving case " + known.caseId() + " after the restart: " + r.status() + " " + r.body());
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
            run.report.put("label_seconds", labels[0] == 0 ? null : (System.currentTimeMillis() - at) / 1000.0);
            if (labels[0] == 0) {
                run.failures.add("the verdict given after the broker restart never reached " + Topic.LABELS.topicName());
            }
        }
        return run.finish();
    }
}
