package dev.vigil.loadtest.chaos;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.JsonTree;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.topic.Topic;
import dev.vigil.testkit.history.HistorySender;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.harness.Reports;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Judges one chaos scenario from Kafka alone: the authorizations the run sent (from the start time
 * its traffic recorded), every decision, dead letter and model refusal since then. Writes
 * {@code report.json} (the figures every scenario reports: scenario, injected faults, missing, duplicates, state
 * mismatches, recovery seconds, DLQ count, pass) and prints one line.
 */
public final class ChaosVerify {
    private ChaosVerify() {
    }

    /**
     * {@code latencyBaseline}: the report.json of the same load without the fault; when given, this
     * run's processing p99 must stay within {@link #LATENCY_SLACK} of it (the hostile scenario's
     * "valid traffic keeps its latency", full form only). {@code history}: the history files whose
     * folded state the job started from (a bootstrap savepoint), part of every card's replay;
     * {@code stateSinceMs}: when that job started, so what the topic held before is in no card's state.
     */
    public record Settings(String bootstrap, String scenario, Path run, Path faults, Path badModels, String jobState,
                           Duration timeout, Path report, Path latencyBaseline, Path history, long stateSinceMs) {
    }

    /** The p99 may grow by half, plus 20 ms of measurement noise on two shared cores. */
    static final double LATENCY_SLACK = 1.5;
    static final double LATENCY_NOISE_MS = 20;

    /** A fault the orchestrator injected: what, when (epoch ms, taken after it happened), detail. */
    public record Fault(String kind, long atMs, String detail) {
        /** As report.json lists it under injected_faults. */
        public Map<String, Object> toReport() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("at_ms", atMs);
            m.put("detail", detail);
            return m;
        }
    }

    public static boolean run(Settings s) throws IOException {
        Map<String, Object> traffic = JsonTree.object(JsonTree.parse(Files.readAllBytes(s.run().resolve("traffic.json"))), "");
        long sinceMs = (long) JsonTree.number(traffic, "since_ms");
        long sent = (long) JsonTree.number(traffic, "sent");
        long hostileSent = (long) JsonTree.number(traffic, "hostile_sent");
        long failedSends = (long) JsonTree.number(traffic, "failed_sends");
        List<Fault> faults = readFaults(s.faults());

        Ledger ledger = new Ledger();
        Set<String> undecodable = new HashSet<>();
        Set<String> historyCards = new HashSet<>();
        long historyFolded = 0;
        if (s.history() != null) {
            historyFolded = HistorySender.read(s.history(), HistorySender.dates(s.history(), null), line -> {
                ledger.earlier(AuthorizationCodec.INSTANCE.decode(line.value()).value());
                historyCards.add(line.cardToken());
            });
            System.err.printf("  %,d history authorizations of %,d cards in the cards' replay (the job's bootstrapped state)%n",
                    historyFolded, historyCards.size());
        }
        // From the topic's start: what earlier runs sent is part of a card's replay when a PAN recurs,
        // unless the job started later from other state.
        read(s.bootstrap(), Topic.AUTHORIZATIONS.topicName(), 0, () -> false, Duration.ZERO, r -> {
            Decoded<Authorization> a = AuthorizationCodec.INSTANCE.decode(r.value());
            if (r.timestamp() < sinceMs) {
                if (a.isOk() && r.timestamp() >= s.stateSinceMs()) {
                    ledger.earlier(a.value());
                }
            } else if (a.isOk()) {
                ledger.authorization(a.value());
            } else {
                undecodable.add(r.topic() + "/" + r.partition() + "/" + r.offset());
            }
        });
        System.err.printf("  %,d authorizations and %,d undecodable records in the topic since the run started;"
                + " reading decisions (up to %s) ...%n", ledger.expected(), undecodable.size(), s.timeout());
        Histogram processing = new Histogram(60_000_000L, 2);
        long[] onHistory = new long[1]; // first decisions of cards the history holds: what a restore is judged on
        read(s.bootstrap(), Topic.DECISIONS.topicName(), sinceMs, () -> ledger.missing() == 0, s.timeout(), r -> {
            Decoded<Decision> d = DecisionCodec.INSTANCE.decode(r.value());
            if (d.isOk() && ledger.decision(d.value())) {
                processing.recordValue(Math.min(processing.getHighestTrackableValue(), d.value().processingMicros()));
                onHistory[0] += historyCards.contains(d.value().cardToken()) ? 1 : 0;
            }
        });

        long[] dlq = new long[3]; // records, with a reason, matching an undecodable record's coordinates
        Map<String, Long> dlqReasons = new HashMap<>();
        read(s.bootstrap(), Topic.AUTHORIZATIONS_DLQ.topicName(), sinceMs, () -> false, Duration.ZERO, r -> {
            dlq[0]++;
            Header h = r.headers().lastHeader("vigil-dlq-reason");
            if (h != null && h.value().length > 0) {
                dlq[1]++;
                String reason = new String(h.value(), StandardCharsets.UTF_8);
                dlqReasons.merge(reason.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'…'"), 1L, Long::sum);
            }
            if (r.key() != null && undecodable.contains(r.key())) {
                dlq[2]++;
            }
        });

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", s.scenario());
        List<Object> injected = new ArrayList<>();
        List<Object> recoveries = new ArrayList<>();
        for (Fault f : faults) {
            injected.add(f.toReport());
            if (f.kind().startsWith("kill") || f.kind().startsWith("restart")) {
                recoveries.add(ledger.recovery(f.atMs()));
            }
        }
        report.put("injected_faults", injected);
        report.put("authorizations_sent", sent - hostileSent);
        report.put("authorizations_in_topic", ledger.expected());
        report.put("failed_sends", failedSends);
        report.put("decided", ledger.decided());
        report.put("missing", ledger.missing());
        report.put("duplicates", ledger.duplicates());
        report.put("duplicates_differing", ledger.differingDuplicates());
        report.put("state_mismatches", ledger.stateMismatches());
        report.put("recovery", recoveries);
        List<Object> seconds = new ArrayList<>();
        recoveries.forEach(r -> seconds.add(((Map<?, ?>) r).get("recovery_s")));
        report.put("recovery_seconds", seconds);
        report.put("hostile_sent", hostileSent);
        report.put("dlq_count", dlq[0]);
        report.put("dlq_with_reason", dlq[1]);
        report.put("dlq_matching_hostile", dlq[2]);
        report.put("dlq_reasons", top(dlqReasons, 12));
        report.put("processing_p50_ms", processing.getValueAtPercentile(50) / 1000.0);
        report.put("processing_p99_ms", processing.getValueAtPercentile(99) / 1000.0);
        report.put("decisions_by_model_version", ledger.modelVersions());
        report.put("job_state_after", s.jobState());
        if (s.history() != null) {
            report.put("history_authorizations", historyFolded);
            report.put("decided_on_cards_with_history", onHistory[0]);
        }

        List<String> failures = new ArrayList<>();
        if (ledger.missing() > 0) {
            failures.add(ledger.missing() + " authorizations without a decision");
        }
        if (ledger.differingDuplicates() > 0) {
            failures.add(ledger.differingDuplicates() + " duplicate decisions differ from the first");
        }
        if (ledger.stateMismatches() > 0) {
            failures.add(ledger.stateMismatches() + " decisions with counters unlike the fold's replay");
        }
        if (s.history() != null && onHistory[0] == 0) {
            // Without decisions on the history's cards the counters would prove nothing about the restore.
            failures.add(String.format("no decision fell on a card of the history (%,d authorizations of %,d cards)",
                    historyFolded, historyCards.size()));
        }
        if (failedSends > 0 || ledger.expected() != sent - hostileSent) {
            failures.add(String.format("%,d valid authorizations sent, %,d in the topic (%,d sends failed)",
                    sent - hostileSent, ledger.expected(), failedSends));
        }
        if (dlq[2] != hostileSent || undecodable.size() != hostileSent || dlq[1] != dlq[0]) {
            failures.add(String.format("%,d hostile records sent, %,d in the topic, %,d of them in the DLQ (%,d DLQ records,"
                    + " %,d with a reason)", hostileSent, undecodable.size(), dlq[2], dlq[0], dlq[1]));
        }
        if (recoveries.stream().anyMatch(r -> ((Map<?, ?>) r).get("recovery_s") == null)) {
            failures.add("no decision after a fault");
        }
        if (s.jobState() != null && !s.jobState().equals("RUNNING")) {
            failures.add("the job is " + s.jobState() + " after the run");
        }
        if (s.badModels() != null) {
            checkModels(s, sinceMs, ledger, report, failures);
        }
        if (s.latencyBaseline() != null) {
            double base = JsonTree.number(JsonTree.object(JsonTree.parse(Files.readAllBytes(s.latencyBaseline())), ""),
                    "processing_p99_ms");
            double limit = base * LATENCY_SLACK + LATENCY_NOISE_MS;
            double p99 = processing.getValueAtPercentile(99) / 1000.0;
            report.put("baseline_processing_p99_ms", base);
            report.put("processing_p99_limit_ms", limit);
            if (p99 > limit) {
                failures.add(String.format("valid traffic's processing p99 %.1f ms exceeds %.1f ms (baseline %.1f ms × %.1f + %.0f)",
                        p99, limit, base, LATENCY_SLACK, LATENCY_NOISE_MS));
            }
        }
        if (!ledger.examples().isEmpty()) {
            report.put("examples", ledger.examples());
        }
        report.put("failures", failures);
        report.put("pass", failures.isEmpty());
        Files.createDirectories(s.report());
        Files.writeString(s.report().resolve("report.json"), Reports.json(report) + "\n");
        System.out.printf("%s: %s — %,d decided, %,d missing, %,d duplicates (%,d differing), %,d state mismatches,"
                        + " recovery %s s, DLQ %,d%s%n", s.scenario(), failures.isEmpty() ? "PASS" : "FAIL", ledger.decided(),
                ledger.missing(), ledger.duplicates(), ledger.differingDuplicates(), ledger.stateMismatches(), seconds, dlq[0],
                failures.isEmpty() ? "" : "; " + String.join("; ", failures));
        return failures.isEmpty();
    }

    /**
     * Bad models: each refused (one record on the refusals topic naming its version), no decision
     * carries a bad version, and the champion keeps deciding after the first bad one arrived.
     */
    private static void checkModels(Settings s, long sinceMs, Ledger ledger, Map<String, Object> report,
                                    List<String> failures) throws IOException {
        Map<String, Object> bad = JsonTree.object(JsonTree.parse(Files.readAllBytes(s.badModels())), "");
        String champion = JsonTree.string(bad, "champion");
        long badFromMs = (long) JsonTree.number(bad, "bad_published_ms");
        Map<String, String> expectedRefusals = new LinkedHashMap<>();
        for (Object o : JsonTree.array(bad, "bad")) {
            Map<?, ?> m = (Map<?, ?>) o;
            expectedRefusals.put(String.valueOf(m.get("version")), String.valueOf(m.get("defect")));
        }
        Map<String, String> refused = new LinkedHashMap<>();
        read(s.bootstrap(), Topic.MODEL_UPDATES_DLQ.topicName(), sinceMs, () -> false, Duration.ZERO, r -> {
            Decoded<ModelUpdate> u = ModelUpdateCodec.INSTANCE.decode(r.value());
            Header h = r.headers().lastHeader("vigil-dlq-reason");
            refused.put(u.isOk() ? u.value().version() : "(unreadable)",
                    h == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
        });
        Map<String, Long> byVersion = ledger.modelVersions();
        List<Object> models = new ArrayList<>();
        for (var e : expectedRefusals.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", e.getKey());
            m.put("defect", e.getValue());
            m.put("refused", refused.containsKey(e.getKey()));
            m.put("reason", refused.get(e.getKey()));
            models.add(m);
            if (!refused.containsKey(e.getKey())) {
                failures.add("bad model " + e.getKey() + " (" + e.getValue() + ") was not refused");
            }
            if (byVersion.containsKey(e.getKey())) {
                failures.add(byVersion.get(e.getKey()) + " decisions carry the bad version " + e.getKey());
            }
        }
        Map<String, Long> after = ledger.modelVersionsSince(badFromMs);
        report.put("champion", champion);
        report.put("bad_models", models);
        report.put("decisions_since_bad_models_by_version", after);
        if (after.isEmpty() || !after.keySet().equals(Set.of(champion))) {
            failures.add("after the bad models, decisions carried " + after + ", expected only " + champion);
        }
    }

    private static Map<String, Long> top(Map<String, Long> counts, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static List<Fault> readFaults(Path file) throws IOException {
        List<Fault> faults = new ArrayList<>();
        if (file == null || !Files.exists(file)) {
            return faults;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", 3);
            if (f.length >= 2) {
                faults.add(new Fault(f[0], Long.parseLong(f[1].trim()), f.length > 2 ? f[2] : ""));
            }
        }
        return faults;
    }

    /**
     * Reads {@code topic} from the first record at or after {@code sinceMs}: up to the end offsets of
     * when it started, and then, when {@code patience} is positive, on until {@code done} or the
     * patience runs out (records still arriving: decisions of a job that is catching up).
     */
    public static void read(String bootstrap, String topic, long sinceMs, BooleanSupplier done, Duration patience,
                     Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, "vigil-chaos-verify"))) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(p -> query.put(p, sinceMs));
            Map<TopicPartition, OffsetAndTimestamp> start = c.offsetsForTimes(query);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = start.get(p);
                c.seek(p, o == null ? end.get(p) : o.offset());
            }
            long deadline = System.nanoTime() + patience.toNanos();
            long nextNote = System.nanoTime() + 10_000_000_000L;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
                boolean caughtUp = parts.stream().allMatch(p -> c.position(p) >= end.get(p));
                if (caughtUp && (patience.isZero() || done.getAsBoolean() || System.nanoTime() > deadline)) {
                    return;
                }
                if (caughtUp && System.nanoTime() > nextNote) {
                    System.err.printf("  still waiting on %s ...%n", topic);
                    nextNote = System.nanoTime() + 10_000_000_000L;
                }
                if (caughtUp) {
                    end.putAll(c.endOffsets(parts));
                }
            }
        }
    }
}
