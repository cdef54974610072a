package dev.vigil.loadtest.chaos.api;

import dev.vigil.core.json.JsonTree;
import dev.vigil.loadtest.api.ApiClient;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Check 1: analysts read (the queue, an alert in full, its card's timeline, the cases; a lead also
 * the queue statistics) while the scoring job's alerts are ingested. Every read must be answered 2xx.
 * (The live stream an analyst holds open meanwhile is {@link LiveStream}, judged by {@link ApiChaos}.)
 */
final class ReadsDuringIngest {
    private ReadsDuringIngest() {
    }

    static void check(ApiRun run) throws Exception {
        ApiChaos.Settings s = run.s;
        Histogram latency = new Histogram(60_000_000_000L, 2);
        AtomicLong reads = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + s.readFor().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < s.readers(); i++) {
            boolean lead = i == 0;
            String token = run.tokens.get(lead ? "LEAD" : "ANALYST");
            SplittableRandom random = new SplittableRandom(i);
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < until) {
                        // One analyst's round: the open queue, an alert from it in full, its card's
                        // timeline, the latest alerts, the cases; a lead also the queue statistics.
                        List<String> paths = new ArrayList<>(List.of("/api/alerts?status=OPEN&limit=20"));
                        for (int p = 0; p < paths.size(); p++) {
                            long t0 = System.nanoTime();
                            ApiClient.Reply r = run.call("GET", paths.get(p), token, null);
                            synchronized (latency) {
                                latency.recordValue(Math.min(latency.getHighestTrackableValue(), System.nanoTime() - t0));
                            }
                            reads.incrementAndGet();
                            if (!r.ok()) {
                                errors.incrementAndGet();
                                if (examples.size() < 5) {
                                    examples.add("GET " + paths.get(p) + " -> " + r.status() + " " + ApiRun.abbreviate(r.body()));
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
        run.report.put("readers", s.readers());
        run.report.put("reads", reads.get());
        run.report.put("read_errors", errors.get());
        run.report.put("read_error_examples", examples);
        run.report.put("read_p50_ms", latency.getValueAtPercentile(50) / 1e6);
        run.report.put("read_p99_ms", latency.getValueAtPercentile(99) / 1e6);
        System.err.printf("  %,d reads by %d analysts during ingest: p50 %.1f ms, p99 %.1f ms, %d errors%n",
                reads.get(), s.readers(), latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                errors.get());
        if (errors.get() > 0) {
            run.failures.add(errors.get() + " reads during ingest not answered 2xx, e.g. " + examples.get(0));
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
                paths.add("/api/alerts/" + ApiRun.enc(String.valueOf(item.get("alertId"))));
                paths.add("/api/cards/" + ApiRun.enc(String.valueOf(item.get("cardToken"))) + "/timeline");
            }
        }
        paths.add("/api/alerts?limit=50");
        paths.add("/api/cases?limit=20");
        if (lead) {
            paths.add("/api/stats/queue");
        }
        return paths;
    }
}
