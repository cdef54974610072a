package dev.vigil.loadtest.cli;

import dev.vigil.core.json.JsonTree;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.api.AlertApiBench;
import dev.vigil.loadtest.chaos.PanScan;
import dev.vigil.loadtest.demo.DemoSummary;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.harness.Reports;
import dev.vigil.testkit.harness.Result;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.tools.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The suites' Java side: the latency SLA suite, the drain, the alert API benchmark and the demo's summary. */
final class SuiteCommands {
    private SuiteCommands() {
    }

    /** The world whose authorizations a load test or a drain sends, its ids starting with {@code tag}. */
    private static Iterator<OpenLoopSender.Message> traffic(long seed, int cards, String tag) {
        WorldConfig config = new WorldConfig(seed, cards, LocalDate.now(ZoneOffset.UTC), tag, 1.0);
        return LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(config, Tokenizers.fromEnvironment()))));
    }

    /** A tag no earlier run used: {@code kind} and the clock's seconds. */
    private static String runTag(String kind) {
        return kind + Long.toString(System.currentTimeMillis() / 1000, 36);
    }

    @Command(name = "loadtest", description = "open-loop traffic into a running engine: latency, completeness, CPU")
    static final class LoadTest implements Callable<Integer> {
        @Option(names = "--rate")
        double rate = 1000;

        @Option(names = "--duration", converter = CommandLines.DurationText.class,
                description = "default 60s (ramp: 30s per step, soak: 30m)")
        Duration duration;

        @Option(names = "--warmup", converter = CommandLines.DurationText.class)
        Duration warmup = Duration.ofSeconds(10);

        @Option(names = "--scenario", description = "steady, ramp, spike or soak")
        String scenario = "steady";

        @Option(names = "--engine")
        String engine = "flink";

        @Option(names = "--report", description = "default <vigil.home>/loadtest/<engine>-<scenario>-<rate>")
        Path report;

        @Option(names = "--runs", description = "runs of the same settings; the report gives their median")
        int runs = 1;

        @Option(names = "--sla-p99", description = "ms")
        double slaP99 = 100;

        @Option(names = "--drain", converter = CommandLines.DurationText.class,
                description = "how long to wait for the last decisions")
        Duration drain = Duration.ofSeconds(30);

        @Option(names = "--cards")
        int cards = 10_000;

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--ramp-factor")
        double rampFactor = 1.5;

        @Option(names = "--ramp-max")
        double rampMax = 200_000;

        @Option(names = "--ready-timeout", converter = CommandLines.DurationText.class)
        Duration readyTimeout = Duration.ofMinutes(3);

        @Option(names = "--command", description = "the command line the report names (./vigil passes its own)")
        String command;

        @Option(names = "--engine-pid")
        long enginePid;

        @Option(names = "--broker-pid")
        long brokerPid;

        @Option(names = "--profile", description = "an async-profiler flame graph of the engine over the measured window")
        boolean profile;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var kind = LoadScenario.parse(scenario);
            Duration length = duration != null ? duration : kind == LoadScenario.SOAK
                    ? Duration.ofMinutes(30) : kind == LoadScenario.RAMP ? Duration.ofSeconds(30) : Duration.ofSeconds(60);
            var settings = new LatencyHarness.Settings(engine, bootstrap, Topic.AUTHORIZATIONS.topicName(),
                    Topic.DECISIONS.topicName(), rate, length, warmup, kind, slaP99, drain);
            if (settings.warmup().compareTo(length) >= 0) {
                throw new IllegalArgumentException("--warmup must be shorter than --duration");
            }
            Iterator<OpenLoopSender.Message> source = traffic(seed, cards, runTag("lt"));
            Path dir = report != null ? report : Path.of(System.getProperty("vigil.home", ".vigil"), "loadtest",
                    settings.engine() + "-" + kind.name().toLowerCase() + "-" + (long) settings.rate());
            List<String> given = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (!given.isEmpty() && given.get(0).equals("loadtest")) {
                given.remove(0);
            }
            String named = command != null ? command : "loadtest " + String.join(" ", given);
            System.err.printf("Load test: engine %s, scenario %s, %,.0f authorizations/s for %s (warm-up %s, rising in steps"
                            + " from %,.0f/s), SLA p99 < %.0f ms%n", settings.engine(), kind.name().toLowerCase(),
                    settings.rate(), length, settings.warmup(), settings.warmupFromRate(), settings.slaP99Ms());
            Duration ready = LatencyHarness.awaitEngine(settings, source, readyTimeout, System.err::println);
            System.err.printf("The %s engine answers (after %.1f s)%n", settings.engine(), ready.toMillis() / 1000.0);
            LatencyHarness.Watched watched = Main.watched(enginePid, brokerPid);
            if (profile) {
                watched = new LatencyHarness.Watched(watched.cpu(), watched.engineJvm(), dir.resolve("flame-engine.html"));
            }
            List<Result> all = new ArrayList<>();
            List<LatencyHarness.Step> ramp = null;
            Result result;
            if (kind == LoadScenario.RAMP) {
                ramp = LatencyHarness.ramp(settings, source, rampFactor, rampMax, System.err::println, watched);
                double capacity = LatencyHarness.capacity(ramp);
                result = ramp.stream().filter(st -> st.rate() == capacity).map(LatencyHarness.Step::result)
                        .findFirst().orElse(ramp.get(0).result());
                all.add(result);
                System.out.printf("Capacity on this machine: %,.0f authorizations/s (the highest step with p99 < %.0f ms,"
                        + " nothing missing and the rate achieved)%n", capacity, settings.slaP99Ms());
            } else {
                for (int i = 1; i <= runs; i++) {
                    if (runs > 1) {
                        System.err.printf("Run %d of %d%n", i, runs);
                    }
                    all.add(LatencyHarness.run(settings, source, System.err::println, watched));
                }
                result = all.size() == 1 ? all.get(0) : Result.median(all);
            }
            Reports.write(dir, result, all, ramp, named);
            if (result.measured() == 0) {
                System.out.println("No decision of an authorization sent after the warm-up arrived within the drain timeout:"
                        + " the engine fell behind by more than that; latency figures are unknown (null in report.json).");
            }
            System.out.printf("%s %s%s: offered %,.0f/s, achieved %,.0f/s; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                            + " max %.1f ms; %,d expected, %,d missing, %,d duplicates; SLA p99 < %.0f ms %s%n",
                    result.engine(), result.scenario(), all.size() > 1 ? " (median of " + all.size() + " runs)" : "",
                    result.offeredRate(), result.achievedRate(), result.p50Ms(), result.p90Ms(), result.p99Ms(),
                    result.p999Ms(), result.maxMs(), result.expected(), result.missing(), result.duplicates(),
                    result.slaP99Ms(), result.slaPass() ? "MET" : "NOT MET");
            if (result.resources() != null) {
                System.out.println(Reports.resourcesLine(result.resources()));
            }
            System.out.println("Report: " + dir.resolve("report.html").toAbsolutePath());
            boolean ok = ramp != null ? LatencyHarness.capacity(ramp) > 0 : result.slaPass();
            return ok ? 0 : 3;
        }
    }

    /**
     * {@code compare --report DIR --run LABEL=DIR ...}: the engines' load-test reports on one page
     * ({@code ./vigil loadtest --compare} runs each engine first).
     */
    @Command(name = "compare", description = "several engines' load-test reports side by side")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--report", required = true, description = "where report.html and report.json go")
        Path report;

        @Option(names = "--run", required = true, description = "LABEL=DIR: an engine's name on the page and its report's folder")
        Map<String, Path> runs = new LinkedHashMap<>();

        @Option(names = "--command")
        String command = "compare";

        @Override
        public Integer call() throws Exception {
            var entries = dev.vigil.testkit.harness.Comparison.write(report, runs, command);
            System.out.println("Engines compared (median of each engine's runs):");
            for (var e : entries) {
                System.out.printf("  %-34s p50 %s ms, p99 %s ms (runs: %s), p99.9 %s ms, missing %s, duplicates %s (worst run),"
                                + " %s µs CPU per decision%n", e.label(), e.report().get("p50_ms"), e.report().get("p99_ms"),
                        e.eachP99(), e.report().get("p999_ms"), e.worst("missing"), e.worst("duplicates"),
                        e.report().get("engine_cpu_us_per_decision"));
            }
            System.out.println("Report: " + report.resolve("report.html").toAbsolutePath());
            return 0;
        }
    }

    /**
     * {@code drain fill --authorizations N --report DIR}: the backlog on the topic, its description in
     * DIR/backlog.json, and "at EPOCH_MS" on stdout (where the engine is to start).
     * {@code drain measure --report DIR [--engine-pid P] [--broker-pid P] [--quiet 120s] [--command C] [--profile]}:
     * reads the backlog's decisions and writes DIR/report.json (and with --profile DIR/flame-engine.html,
     * the engine after the first 20 % of the backlog).
     */
    @Command(name = "drain", subcommands = {Drain.Fill.class, Drain.Measure.class},
            description = "a backlog on the topic, then the engine's decisions of it")
    static final class Drain {
        @Command(name = "fill", description = "the backlog on the topic; prints 'at EPOCH_MS', where the engine starts")
        static final class Fill implements Callable<Integer> {
            @Option(names = "--authorizations", converter = CommandLines.Count.class)
            long authorizations = 300_000;

            @Option(names = "--report", required = true)
            Path report;

            @Option(names = "--cards")
            int cards = 10_000;

            @Option(names = "--seed")
            long seed = 42;

            @Option(names = "--bootstrap")
            String bootstrap = KafkaSettings.bootstrap();

            @Override
            public Integer call() throws Exception {
                Files.createDirectories(report);
                String tag = runTag("dr");
                Iterator<OpenLoopSender.Message> source = traffic(seed, cards, tag);
                System.err.printf("Drain: %,d authorizations onto %s before the engine starts%n", authorizations,
                        Topic.AUTHORIZATIONS.topicName());
                String prefix = tag + "-";
                dev.vigil.testkit.harness.Drain.Backlog b = dev.vigil.testkit.harness.Drain.fill(bootstrap,
                        Topic.AUTHORIZATIONS.topicName(), source, authorizations, prefix, System.err::println);
                Files.writeString(report.resolve("backlog.json"), Reports.json(Map.of("id_prefix", b.idPrefix(),
                        "count", b.count(), "written_from_epoch_ms", b.writtenFromEpochMs())) + "\n");
                System.out.println("at " + b.writtenFromEpochMs());
                return 0;
            }
        }

        @Command(name = "measure", description = "the backlog's decisions: decisions/s and the engine's CPU per decision")
        static final class Measure implements Callable<Integer> {
            @Option(names = "--report", required = true)
            Path report;

            @Option(names = "--bootstrap")
            String bootstrap = KafkaSettings.bootstrap();

            @Option(names = "--engine-pid")
            long enginePid;

            @Option(names = "--broker-pid")
            long brokerPid;

            @Option(names = "--quiet", converter = CommandLines.DurationText.class,
                    description = "give up when no decision arrived for this long")
            Duration quiet = Duration.ofSeconds(120);

            @Option(names = "--command")
            String command = "drain measure";

            @Option(names = "--profile", description = "a flame graph of the engine after the first 20 % of the backlog")
            boolean profile;

            @Override
            public Integer call() throws Exception {
                Files.createDirectories(report);
                Map<String, Object> b = JsonTree.object(JsonTree.parse(Files.readAllBytes(report.resolve("backlog.json"))), "");
                var backlog = new dev.vigil.testkit.harness.Drain.Backlog(JsonTree.string(b, "id_prefix"),
                        (long) JsonTree.number(b, "count"), (long) JsonTree.number(b, "written_from_epoch_ms"));
                LatencyHarness.Watched watched = Main.watched(enginePid, brokerPid);
                if (profile) {
                    if (watched.engineJvm() <= 0) {
                        throw new IllegalArgumentException("--profile needs --engine-pid: the profiler attaches to the engine's JVM");
                    }
                    watched = new LatencyHarness.Watched(watched.cpu(), watched.engineJvm(), report.resolve("flame-engine.html"));
                }
                var o = dev.vigil.testkit.harness.Drain.measure(bootstrap, Topic.DECISIONS.topicName(), backlog, watched,
                        quiet, System.err::println);
                Map<String, Object> json = new LinkedHashMap<>(o.fields());
                json.put("command", command);
                json.put("cores", Runtime.getRuntime().availableProcessors());
                json.put("generated_at", java.time.Instant.now().toString());
                Files.writeString(report.resolve("report.json"), Reports.json(json) + "\n");
                System.out.println(dev.vigil.testkit.harness.Drain.summary(o));
                System.out.println("Report: " + report.resolve("report.json").toAbsolutePath());
                return o.missing() > 0 ? 3 : 0;
            }
        }
    }

    @Command(name = "api-bench", description = "alerts through Kafka into the alert API, then timed list requests")
    static final class ApiBench implements Callable<Integer> {
        @Option(names = "--alerts", converter = CommandLines.Count.class)
        long alerts = 1_000_000;

        @Option(names = "--requests", converter = CommandLines.Count.class)
        long requests = 3_000;

        @Option(names = "--warmup", description = "untimed list requests first")
        int warmup = 300;

        @Option(names = "--url")
        String url = "http://127.0.0.1:8080/";

        @Option(names = "--user")
        String user = "admin";

        @Option(names = "--cards")
        int cards = 200_000;

        @Option(names = "--report")
        Path report = Path.of(".vigil/bench/api");

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--topic")
        String topic = Topic.ALERTS.topicName();

        @Option(names = "--timeout", converter = CommandLines.DurationText.class)
        Duration timeout = Duration.ofMinutes(30);

        @Override
        public Integer call() throws Exception {
            var bench = new AlertApiBench(java.net.URI.create(url), cards);
            Map<String, Object> out = new LinkedHashMap<>();
            if (alerts > 0) {
                System.err.printf("Ingest: %,d alerts through Kafka into the alert API's PostgreSQL%n", alerts);
                out.put("ingest", bench.ingest(KafkaSettings.bulkProducer(bootstrap), topic, (int) alerts, timeout));
                System.out.println("ingest: " + Reports.json(out.get("ingest")));
            }
            String password = System.getenv("VIGIL_API_PASSWORD");
            if (password == null || password.isBlank()) {
                throw new IllegalArgumentException("set VIGIL_API_PASSWORD to the password of --user (./vigil bench api does)");
            }
            System.err.printf("List endpoint: %,d requests after %,d warm-up, one client%n", requests, warmup);
            out.put("list", bench.list(user, password, warmup, (int) requests));
            System.out.println("list: " + Reports.json(out.get("list")));
            Path file = report.resolve("api-bench.json");
            AlertApiBench.write(file, out);
            System.out.println("Report: " + file.toAbsolutePath());
            return 0;
        }
    }

    /** The API's first admin from VIGIL_API_ADMIN_PASSWORD. */
    @Command(name = "pan-scan", description = "every topic, the API's answers and the given folders, for clear card numbers")
    static final class PanScanCommand implements Callable<Integer> {
        @Option(names = "--report", required = true)
        Path report;

        @Option(names = "--worlds", split = ",", description = "SEED:CARDS of generated worlds whose numbers to look for")
        List<String> worlds = new ArrayList<>();

        @Option(names = "--dirs", split = ",", description = "folders to scan, file by file")
        List<String> dirs = new ArrayList<>();

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--since-ms")
        long sinceMs;

        @Option(names = "--api")
        String api;

        @Option(names = "--api-alerts")
        int apiAlerts = 500;

        @Override
        public Integer call() throws Exception {
            PanScan scan = new PanScan(List.of(), worlds.stream().map(PanScan::world).toList(), Tokenizers.fromEnvironment());
            System.err.println("  scanning every topic ...");
            scan.topics(bootstrap, sinceMs);
            if (api != null) {
                String password = System.getenv("VIGIL_API_ADMIN_PASSWORD");
                if (password == null || password.isBlank()) {
                    throw new IllegalArgumentException("--api needs VIGIL_API_ADMIN_PASSWORD (./vigil sets it)");
                }
                System.err.println("  reading the alert API's answers as an admin ...");
                scan.api(java.net.URI.create(api), password, apiAlerts);
            }
            for (String d : dirs) {
                if (!d.isBlank()) {
                    System.err.println("  scanning files under " + d + " ...");
                    scan.files(Path.of(d));
                }
            }
            return scan.report(report, "pan-scan") ? 0 : 3;
        }
    }

    @Command(name = "demo-summary", description = "what the demo did, from the API, the topics and its logs")
    static final class DemoSummaryCommand implements Callable<Integer> {
        @Option(names = "--api", required = true)
        String api;

        @Option(names = "--stream", required = true)
        Path stream;

        @Option(names = "--tags", required = true, split = ",", description = "the id tags of the demo's traffic")
        List<String> tags;

        @Option(names = "--metrics")
        Path metrics;

        @Option(names = "--bootstrap")
        Path bootstrap;

        @Option(names = "--labels")
        Path labels;

        @Option(names = "--warm-up")
        Path warmUp;

        @Option(names = "--truth")
        Path truth;

        @Option(names = "--pan-scan")
        Path panScan;

        @Option(names = "--since-ms")
        long sinceMs;

        @Option(names = "--seconds")
        long seconds;

        @Override
        public Integer call() throws Exception {
            DemoSummary.print(java.net.URI.create(api), System.getenv().getOrDefault("VIGIL_API_ADMIN_PASSWORD", ""),
                    metrics, bootstrap, labels, warmUp, stream, truth, panScan, tags, sinceMs, seconds);
            return 0;
        }
    }
}
