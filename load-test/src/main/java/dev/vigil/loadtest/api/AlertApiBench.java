package dev.vigil.loadtest.api;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Channel;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.EntryMode;
import dev.vigil.core.event.RecentAuthorization;
import dev.vigil.core.json.AlertCodec;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert API's two figures: how fast alerts from Kafka land in PostgreSQL, and how fast the queue
 * answers once the table is large. Produces {@code alerts} synthetic alerts shaped like the scoring
 * job's (a decision, reasons, five recent authorizations), follows the service's own ingest counter
 * until all are stored, then times list requests of the kinds analysts make (plain, by status, by
 * card, by pattern, by score, deep pages) one after another from one client, after a warm-up.
 */
public final class AlertApiBench {
    private static final Pattern INGESTED = Pattern.compile("(?m)^vigil_alerts_ingested_total(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static final Pattern NEXT = Pattern.compile("\"next\"\\s*:\\s*\"([^\"]+)\"");
    private static final String[] PATTERNS = {"CARD_TESTING", "IMPOSSIBLE_TRAVEL", "VELOCITY_BURST", "DECLINE_RETRY"};

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SplittableRandom random = new SplittableRandom(7);
    private final int cards;

    public AlertApiBench(URI api, int cards) {
        this.api = api;
        this.cards = cards;
    }

    /** Produces {@code count} alerts and waits until the service stored them; returns the figures. */
    public Map<String, Object> ingest(Properties producerProps, String topic, int count, Duration timeout)
            throws Exception {
        double before = ingestedCounter();
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
            for (int i = 0; i < count; i++) {
                Alert a = alert(i, now);
                producer.send(new ProducerRecord<>(topic, a.cardToken(), AlertCodec.INSTANCE.encode(a)));
                if ((i + 1) % 100_000 == 0) {
                    System.err.printf("  produced %,d alerts%n", i + 1);
                }
            }
        }
        double produceSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf("Produced %,d alerts in %.1f s; waiting for the service to store them ...%n", count, produceSeconds);
        long deadline = System.nanoTime() + timeout.toNanos();
        double stored = 0;
        long lastReport = 0;
        while (stored < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format("only %,.0f of %,d alerts stored within %s", stored, count, timeout));
            }
            Thread.sleep(500);
            stored = ingestedCounter() - before;
            if (System.nanoTime() - lastReport > 5e9) {
                lastReport = System.nanoTime();
                double s = (System.nanoTime() - t0) / 1e9;
                System.err.printf("  stored %,.0f / %,d after %.0f s (%,.0f alerts/s)%n", stored, count, s, stored / s);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alerts", count);
        out.put("produce_seconds", round(produceSeconds));
        out.put("stored_seconds", round(seconds));
        out.put("alerts_per_second", Math.round(count / seconds));
        return out;
    }

    /** Times {@code requests} list calls (after {@code warmup} untimed ones); returns percentiles per kind. */
    public Map<String, Object> list(String user, String password, int warmup, int requests) throws Exception {
        String token = login(user, password);
        List<String> knownCards = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            knownCards.add(cardToken(random.nextInt(cards)));
        }
        Map<String, Histogram> byKind = new LinkedHashMap<>();
        Histogram all = new Histogram(60_000_000_000L, 3);
        String cursor = null;
        int depth = 0;
        for (int i = 0; i < warmup + requests; i++) {
            String kind;
            String path;
            switch (i % 6) {
                case 0 -> { kind = "newest"; path = "/api/alerts?limit=50"; }
                case 1 -> { kind = "status=OPEN"; path = "/api/alerts?status=OPEN&limit=50"; }
                case 2 -> { kind = "card"; path = "/api/alerts?card=" + knownCards.get(random.nextInt(knownCards.size())); }
                case 3 -> { kind = "pattern"; path = "/api/alerts?pattern=" + PATTERNS[random.nextInt(PATTERNS.length)]; }
                case 4 -> { kind = "minScore=0.9"; path = "/api/alerts?status=OPEN&minScore=0.9&limit=50"; }
                default -> {
                    kind = "next page";
                    path = "/api/alerts?limit=50" + (cursor == null ? "" : "&cursor=" + cursor);
                }
            }
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve(path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " -> " + r.statusCode() + ": " + r.body());
            }
            if (kind.equals("next page")) {
                Matcher m = NEXT.matcher(r.body());
                cursor = m.find() && ++depth < 200 ? m.group(1) : null;
                if (cursor == null) {
                    depth = 0;
                }
            }
            if (i >= warmup) {
                byKind.computeIfAbsent(kind, k -> new Histogram(60_000_000_000L, 3)).recordValue(nanos);
                all.recordValue(nanos);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests);
        out.put("warmup", warmup);
        out.put("all", percentiles(all));
        Map<String, Object> kinds = new LinkedHashMap<>();
        byKind.forEach((k, h) -> kinds.put(k, percentiles(h)));
        out.put("by_kind", kinds);
        return out;
    }

    private Alert alert(int i, long now) {
        int cardIndex = random.nextInt(cards);
        String card = cardToken(cardIndex);
        long created = now - random.nextLong(30L * 86_400_000L);
        String authId = "bench-" + Long.toString(now, 36) + "-" + i;
        Authorization a = authorization(card, authId, created - 50, 500 + random.nextInt(200_000));
        List<RecentAuthorization> recent = new ArrayList<>();
        recent.add(RecentAuthorization.of(a));
        for (int k = 1; k < 5; k++) {
            recent.add(RecentAuthorization.of(authorization(card, authId + "-r" + k, created - k * 3_600_000L,
                    500 + random.nextInt(20_000))));
        }
        int roll = random.nextInt(100);
        if (roll < 5) {
            String kind = PATTERNS[random.nextInt(PATTERNS.length)];
            return new Alert(Alert.idFor(authId, kind), kind, card, created, a, null,
                    List.of(authId + "-r1", authId), recent);
        }
        Action action = roll < 20 ? Action.DECLINE : Action.REVIEW;
        float score = action == Action.DECLINE ? 0.9f + random.nextInt(100) / 1000f : 0.5f + random.nextInt(400) / 1000f;
        Decision d = new Decision(authId, card, score, action,
                List.of("amount_vs_card_p95", "merchant_fraud_rate", "new_country_7d"), "v20240301-1", "2024-03-01",
                12, 12, a.eventTimeMs(), created, 900);
        String kind = action == Action.DECLINE ? "MODEL_DECLINE" : "MODEL_REVIEW";
        return new Alert(Alert.idFor(authId, kind), kind, card, created, a, d, List.of(authId), recent);
    }

    private Authorization authorization(String card, String id, long at, long amount) {
        return new Authorization(id, card, "bench", "411111", "1111", 16, amount, "EUR", amount, "EUR",
                "m-" + random.nextInt(20_000), "5411", "DE", 52.5, 13.4, 60, Channel.ECOMMERCE, EntryMode.ECOMMERCE,
                null, at, 1, null, null);
    }

    private static String cardToken(int index) {
        return String.format(Locale.ROOT, "tok_bench%038d", index);
    }

    private double ingestedCounter() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(api.resolve("/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = INGESTED.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no vigil_alerts_ingested_total at " + api.resolve("/prometheus"));
        }
        return Double.parseDouble(m.group(1));
    }

    private String login(String user, String password) throws IOException, InterruptedException {
        return new ApiClient(api).login(user, password);
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.getTotalCount());
        p.put("p50_ms", ms(h.getValueAtPercentile(50)));
        p.put("p90_ms", ms(h.getValueAtPercentile(90)));
        p.put("p99_ms", ms(h.getValueAtPercentile(99)));
        p.put("max_ms", ms(h.getMaxValue()));
        return p;
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    public static void write(Path file, Map<String, Object> report) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, dev.vigil.testkit.harness.Reports.json(report) + "\n");
    }
}
