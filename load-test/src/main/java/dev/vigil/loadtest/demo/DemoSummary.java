package dev.vigil.loadtest.demo;

import dev.vigil.core.event.Alert;
import dev.vigil.core.json.AlertCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.api.ApiClient;
import dev.vigil.testkit.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The last screen of {@code ./vigil demo}: what the system did, in a few lines. */
public final class DemoSummary {
    private static final Pattern SENT = Pattern.compile("^sent ([0-9,]+) ");
    private static final Pattern PAIR = Pattern.compile("\"([A-Z_]+)\"\\s*:\\s*(\\d+)");

    private DemoSummary() {
    }

    /**
     * @param bootstrap what {@code ./vigil bootstrap} printed, when the job's card state came from the lake, or null
     * @param labels   what {@code send-history --labels-only} printed, or null
     * @param warmUp   what the stream that warmed the new job (another world's cards) printed, or null
     * @param tags     the id tags of this run's authorizations sent to the job, the warm-up first and the live
     *                 traffic last: alerts are counted for those only, the analyst queue may hold earlier runs' too
     * @param liveTruth the live stream's fraudulent authorizations (id and scenario per line), or null
     * @param sinceMs  when the run started; the alerts topic is read from there
     */
    public static void print(URI api, String password, Path metrics, Path bootstrap, Path labels, Path warmUp, Path stream,
                             Path liveTruth, Path panScan, List<String> tags, long sinceMs, long seconds) throws Exception {
        System.out.println();
        System.out.println("================ Vigil demo: summary ================");
        String heading = "state     ";
        if (bootstrap != null && Files.exists(bootstrap)) {
            for (String line : Files.readAllLines(bootstrap)) {
                if (line.startsWith("Card states: ") || line.startsWith("Savepoint: ")) {
                    System.out.println(heading + line);
                    heading = "          ";
                }
            }
        }
        if (labels != null && Files.exists(labels)) {
            for (String line : Files.readAllLines(labels)) {
                if (line.startsWith("Labels ")) {
                    System.out.println(heading + line);
                }
            }
        }
        if (warmUp != null && Files.exists(warmUp)) {
            for (String line : Files.readAllLines(warmUp)) {
                if (line.startsWith("decisions ")) {
                    System.out.println("warm-up   " + line.replaceFirst("; in the warm-up over .*$", "").replace(" after warm-up", ""));
                    System.out.println("          (another world's cards before the live traffic, never alerted: the new job's JIT"
                            + " compiles its code on them)");
                }
            }
        }
        for (String line : Files.readAllLines(stream)) {
            if (line.startsWith("sent ") || line.startsWith("decisions ")) {
                System.out.println("live      " + line);
            }
        }
        System.out.println("          (without card history: decided on a card state holding none of the card's earlier"
                + " authorizations; the live cards are the history's, so a job that starts with their history makes these only"
                + " for a card that had no authorization in it)");
        long liveSent = 0;
        for (String line : Files.readAllLines(stream)) {
            Matcher m = SENT.matcher(line);
            if (m.find()) {
                liveSent = Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        Map<String, PhaseAlerts> phases = alertsOfRun(KafkaSettings.bootstrap(), tags, sinceMs);
        PhaseAlerts live = phases.get(tags.get(tags.size() - 1));
        System.out.printf("alerts    live: %,d on %,d cards, %.1f per 1,000 live authorizations; by kind: %s%n", live.alerts(),
                live.cards().size(), liveSent == 0 ? 0.0 : 1000.0 * live.alerts() / liveSent, kinds(live));
        if (tags.size() > 1) {
            PhaseAlerts first = phases.get(tags.get(0));
            System.out.printf("          warm-up: %,d (dated before the live day, so none are expected)%n", first.alerts());
        }
        if (liveTruth != null && Files.exists(liveTruth)) {
            printAgainstTruth(live, liveTruth, liveSent);
        }
        System.out.println("          (an alert is an authorization sent to an analyst: the model's REVIEW or DECLINE, a pattern, or a"
                + " card on watch after one; analysts work cases, one per card, so cards measure the queue)");
        Map<String, Long> open = alertsByPattern(api, password);
        System.out.printf("          open in the analyst queue: %,d%n", open.values().stream().mapToLong(Long::longValue).sum());
        if (metrics != null && Files.exists(metrics)) {
            String json = Files.readString(metrics);
            String truth = block(json, "against_ground_truth");
            System.out.printf("model     %s%n", text(json, "windows"));
            System.out.printf("          holdout against the labels known then (%s frauds): AP %s, ROC AUC %s, recall at 1%% FPR %s%n",
                    integer(json, "holdout_fraud"), number(json, "average_precision"), number(json, "roc_auc"),
                    number(json, "recall_at_1pct_fpr"));
            if (!truth.isEmpty()) {
                System.out.printf("          holdout against the world's ground truth (%s frauds): AP %s, ROC AUC %s, recall at 1%% FPR %s"
                                + " (baseline AP %s)%n", integer(truth, "frauds"), number(truth, "average_precision"),
                        number(truth, "roc_auc"), number(truth, "recall_at_1pct_fpr"),
                        number(truth, "baseline_average_precision"));
            }
            String scenarios = block(json, "scenario_recall_at_review");
            if (!scenarios.isEmpty()) {
                System.out.println("          recall at the review threshold by scenario: " + scenarios.replaceAll("[\"{}]", "")
                        .replaceAll("\\s+", " ").replaceAll("(\\d\\.\\d{2})\\d*", "$1").trim());
            }
            System.out.println("          report: " + metrics.getParent().resolve("report.html"));
        }
        System.out.println("analysts  " + api + "  (user admin; password: sed -n 's/^admin_password=//p' .vigil/api/credentials)");
        if (panScan != null && Files.exists(panScan)) {
            // The scan's own verdict line: what it read, and whether any input card number was in clear.
            for (String line : Files.readAllLines(panScan)) {
                if (line.startsWith("pan-scan: ")) {
                    System.out.println("card data " + line.substring("pan-scan: ".length()));
                }
            }
        }
        System.out.printf("wall time %d min %02d s%n", seconds / 60, seconds % 60);
    }

    /** One phase's alerts (its id tag): how many, on which authorizations and cards (a case is a card), by kind. */
    record PhaseAlerts(long alerts, Set<String> authorizations, Set<String> cards, Map<String, Long> byKind) {
        PhaseAlerts() {
            this(0, new HashSet<>(), new HashSet<>(), new TreeMap<>());
        }

        PhaseAlerts plus(Alert a) {
            authorizations.add(a.authorization().authorizationId());
            cards.add(a.cardToken());
            byKind.merge(a.kind(), 1L, Long::sum);
            return new PhaseAlerts(alerts + 1, authorizations, cards, byKind);
        }
    }

    /** Alerts raised for this run's authorizations, per id tag, read from the alerts topic since the run began. */
    static Map<String, PhaseAlerts> alertsOfRun(String bootstrap, List<String> tags, long sinceMs) {
        Map<String, PhaseAlerts> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t, new PhaseAlerts()));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "demo-summary-" + System.nanoTime()))) {
            String topic = Topic.ALERTS.topicName();
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            Map<TopicPartition, Long> times = new HashMap<>();
            parts.forEach(p -> times.put(p, sinceMs));
            c.offsetsForTimes(times).forEach((p, o) -> c.seek(p, o == null ? end.get(p) : o.offset()));
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    Decoded<Alert> a = AlertCodec.INSTANCE.decode(r.value());
                    String tag = a.isOk() ? tagOf(a.value().authorization().authorizationId(), tags) : null;
                    if (tag != null && seen.add(a.value().alertId())) {
                        out.computeIfPresent(tag, (t, phase) -> phase.plus(a.value()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The live alerts against the stream's ground truth (fraudulent authorization ids and scenarios):
     * the share of alerted authorizations that were fraud, and per scenario the share of fraud alerted.
     */
    private static void printAgainstTruth(PhaseAlerts live, Path truth, long liveSent) throws IOException {
        Map<String, long[]> byScenario = new TreeMap<>();
        long fraud = 0, alertedFraud = 0;
        for (String line : Files.readAllLines(truth)) {
            String[] idAndScenario = line.split(" ");
            if (idAndScenario.length != 2) {
                continue;
            }
            boolean alerted = live.authorizations().contains(idAndScenario[0]);
            long[] n = byScenario.computeIfAbsent(idAndScenario[1], k -> new long[2]);
            n[0]++;
            n[1] += alerted ? 1 : 0;
            fraud++;
            alertedFraud += alerted ? 1 : 0;
        }
        StringBuilder scenarios = new StringBuilder();
        byScenario.forEach((scenario, n) -> scenarios.append(scenarios.isEmpty() ? "" : ", ")
                .append(scenario).append(' ').append(n[1]).append('/').append(n[0]));
        int alerted = live.authorizations().size();
        long legitimate = liveSent - fraud, legitimateAlerted = alerted - alertedFraud;
        System.out.printf("          against the live traffic's ground truth (%,d fraudulent of %,d sent, %.1f %%): %,d of the %,d"
                        + " alerted authorizations were fraud (%.0f %%); %,d of the %,d frauds were alerted (%.0f %%): %s%n",
                fraud, liveSent, liveSent == 0 ? 0.0 : 100.0 * fraud / liveSent, alertedFraud, alerted,
                alerted == 0 ? 0.0 : 100.0 * alertedFraud / alerted, alertedFraud, fraud,
                fraud == 0 ? 0.0 : 100.0 * alertedFraud / fraud, scenarios);
        System.out.printf("          legitimate authorizations alerted: %,d of %,d (%.2f %%; training sets the REVIEW threshold"
                        + " at the holdout's top alerts.review_rate, 1 %% by default)%n", legitimateAlerted, legitimate,
                legitimate == 0 ? 0.0 : 100.0 * legitimateAlerted / legitimate);
    }

    private static String kinds(PhaseAlerts phase) {
        return phase.byKind().isEmpty() ? "none" : phase.byKind().toString().replaceAll("[{}]", "");
    }

    private static String tagOf(String authorizationId, List<String> tags) {
        for (String tag : tags) {
            if (authorizationId.startsWith(tag + "-")) {
                return tag;
            }
        }
        return null;
    }

    /** Open alerts by pattern, from the alert API's queue statistics (as the first admin). */
    static Map<String, Long> alertsByPattern(URI api, String password) throws IOException, InterruptedException {
        ApiClient client = new ApiClient(api);
        String token;
        try {
            token = client.login("admin", password);
        } catch (IllegalStateException e) {
            System.out.println("alerts    (could not log in to the alert API: " + e.getMessage() + ")");
            return Map.of();
        }
        String stats = client.get("/api/stats/queue", token).body();
        int from = stats.indexOf("\"openAlertsByPattern\"");
        int to = stats.indexOf('}', from);
        Map<String, Long> out = new LinkedHashMap<>();
        if (from >= 0 && to > from) {
            Matcher m = PAIR.matcher(stats.substring(from, to));
            while (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    private static String number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE]+)").matcher(json);
        return m.find() ? String.format("%.3f", Double.parseDouble(m.group(1))) : "?";
    }

    private static String integer(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([0-9.]+)").matcher(json);
        return m.find() ? String.format("%,d", (long) Double.parseDouble(m.group(1))) : "?";
    }

    private static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    /** The flat object under {@code key} ("{...}"), or "" when absent. */
    private static String block(String json, String key) {
        int at = json.indexOf("\"" + key + "\"");
        int open = at < 0 ? -1 : json.indexOf('{', at);
        int close = open < 0 ? -1 : json.indexOf('}', open);
        return close < 0 ? "" : json.substring(open, close + 1);
    }
}
