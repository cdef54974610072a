package dev.vigil.loadtest.cli;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.JsonTree;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.core.topic.Topic;
import dev.vigil.loadtest.api.AlertApiBench;
import dev.vigil.loadtest.demo.DemoSummary;
import dev.vigil.loadtest.history.HistorySender;
import dev.vigil.loadtest.history.HistoryWriter;
import dev.vigil.loadtest.kafka.KafkaSettings;
import dev.vigil.loadtest.kafka.TopicSetup;
import dev.vigil.loadtest.measure.DecisionLatency;
import dev.vigil.loadtest.replay.ColumnMapping;
import dev.vigil.loadtest.replay.CsvImporter;
import dev.vigil.loadtest.stream.LiveTraffic;
import dev.vigil.loadtest.stream.OpenLoopSender;
import dev.vigil.loadtest.suite.Drain;
import dev.vigil.loadtest.suite.LoadScenario;
import dev.vigil.loadtest.measure.ProcessCpu;
import dev.vigil.loadtest.suite.LatencyHarness;
import dev.vigil.loadtest.suite.Resources;
import dev.vigil.loadtest.suite.Reports;
import dev.vigil.loadtest.suite.Result;
import dev.vigil.loadtest.world.DayTraffic;
import dev.vigil.loadtest.world.Generated;
import dev.vigil.loadtest.world.Scenario;
import dev.vigil.loadtest.world.Simulator;
import dev.vigil.loadtest.world.World;
import dev.vigil.loadtest.world.WorldConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** The data tools behind {@code ./vigil topics | generate | stream | replay}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] argv) {
        if (argv.length == 0) {
            System.err.println("usage: topics | generate | stream | replay  (see ./vigil help)");
            System.exit(2);
        }
        String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        try {
            switch (argv[0]) {
                case "topics" -> topics(rest);
                case "generate" -> generate(rest);
                case "stream" -> stream(rest);
                case "replay" -> replay(rest);
                case "send-history" -> sendHistory(rest);
                case "api-bench" -> apiBench(rest);
                case "loadtest" -> loadtest(rest);
                case "drain" -> drain(rest);
                case "chaos" -> {
                    int code = ChaosCli.run(rest, tokenizer());
                    if (code != 0) {
                        System.exit(code);
                    }
                }
                case "demo-summary" -> {
                    Args a = new Args(rest, Set.of("api", "metrics", "bootstrap", "labels", "warm-up", "stream", "truth", "pan-scan", "tags",
                            "since-ms", "seconds"), Set.of());
                    DemoSummary.print(java.net.URI.create(a.require("api")),
                            System.getenv().getOrDefault("VIGIL_API_ADMIN_PASSWORD", ""), optionalPath(a, "metrics"),
                            optionalPath(a, "bootstrap"), optionalPath(a, "labels"), optionalPath(a, "warm-up"),
                            Path.of(a.require("stream")), optionalPath(a, "truth"), optionalPath(a, "pan-scan"),
                            List.of(a.require("tags").split(",")), a.longValue("since-ms", 0), a.longValue("seconds", 0));
                }
                default -> throw new Args.UsageException("unknown command " + argv[0]);
            }
        } catch (Args.UsageException | IllegalArgumentException e) {
            System.err.println("vigil " + argv[0] + ": " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("vigil " + argv[0] + " failed: " + e);
            System.exit(1);
        }
    }

    private static Path optionalPath(Args a, String name) {
        String value = a.get(name, "");
        return value.isBlank() ? null : Path.of(value);
    }

    static void topics(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("bootstrap"), Set.of());
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        System.out.println("Topics on " + bootstrap + ":");
        TopicSetup.ensure(bootstrap).forEach(line -> System.out.println("  " + line));
    }

    static void loadtest(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("rate", "duration", "warmup", "scenario", "engine", "report", "runs", "sla-p99",
                "drain", "cards", "seed", "bootstrap", "ramp-factor", "ramp-max", "ready-timeout", "command", "engine-pid",
                "broker-pid"), Set.of("profile"));
        var scenario = LoadScenario.parse(args.get("scenario", "steady"));
        Duration duration = args.duration("duration", scenario == LoadScenario.SOAK
                ? Duration.ofMinutes(30) : scenario == LoadScenario.RAMP ? Duration.ofSeconds(30)
                : Duration.ofSeconds(60));
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        var settings = new LatencyHarness.Settings(args.get("engine", "flink"), bootstrap,
                Topic.AUTHORIZATIONS.topicName(), Topic.DECISIONS.topicName(), args.doubleValue("rate", 1000), duration,
                args.duration("warmup", Duration.ofSeconds(10)), scenario, args.doubleValue("sla-p99", 100),
                args.duration("drain", Duration.ofSeconds(30)));
        if (settings.warmup().compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--warmup must be shorter than --duration");
        }
        long seed = args.longValue("seed", 42);
        WorldConfig config = new WorldConfig(seed, (int) args.longValue("cards", 10_000), LocalDate.now(ZoneOffset.UTC),
                "lt" + Long.toString(System.currentTimeMillis() / 1000, 36), 1.0);
        Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(config, tokenizer()))));
        Path dir = Path.of(args.get("report", System.getProperty("vigil.home", ".vigil") + "/loadtest/"
                + settings.engine() + "-" + scenario.name().toLowerCase() + "-" + (long) settings.rate()));
        String command = args.get("command", "loadtest " + String.join(" ", argv));
        System.err.printf("Load test: engine %s, scenario %s, %,.0f authorizations/s for %s (warm-up %s, rising in steps"
                        + " from %,.0f/s), SLA p99 < %.0f ms%n", settings.engine(), scenario.name().toLowerCase(),
                settings.rate(), duration, settings.warmup(), settings.warmupFromRate(), settings.slaP99Ms());
        Duration ready = LatencyHarness.awaitEngine(settings, source,
                args.duration("ready-timeout", Duration.ofMinutes(3)), System.err::println);
        System.err.printf("The %s engine answers (after %.1f s)%n", settings.engine(), ready.toMillis() / 1000.0);
        LatencyHarness.Watched watched = watched(args.longValue("engine-pid", 0), args.longValue("broker-pid", 0));
        if (args.flag("profile")) {
            watched = new LatencyHarness.Watched(watched.cpu(), watched.engineJvm(), dir.resolve("flame-engine.html"));
        }
        List<Result> runs = new ArrayList<>();
        List<LatencyHarness.Step> ramp = null;
        Result result;
        if (scenario == LoadScenario.RAMP) {
            ramp = LatencyHarness.ramp(settings, source, args.doubleValue("ramp-factor", 1.5),
                    args.doubleValue("ramp-max", 200_000), System.err::println, watched);
            double capacity = LatencyHarness.capacity(ramp);
            result = ramp.stream().filter(st -> st.rate() == capacity).map(LatencyHarness.Step::result)
                    .findFirst().orElse(ramp.get(0).result());
            runs.add(result);
            System.out.printf("Capacity on this machine: %,.0f authorizations/s (the highest step with p99 < %.0f ms, nothing"
                    + " missing and the rate achieved)%n", capacity, settings.slaP99Ms());
        } else {
            int n = (int) args.longValue("runs", 1);
            for (int i = 1; i <= n; i++) {
                if (n > 1) {
                    System.err.printf("Run %d of %d%n", i, n);
                }
                runs.add(LatencyHarness.run(settings, source, System.err::println, watched));
            }
            result = runs.size() == 1 ? runs.get(0) : Result.median(runs);
        }
        Reports.write(dir, result, runs, ramp, command);
        if (result.measured() == 0) {
            System.out.println("No decision of an authorization sent after the warm-up arrived within the drain timeout:"
                    + " the engine fell behind by more than that; latency figures are unknown (null in report.json).");
        }
        System.out.printf("%s %s%s: offered %,.0f/s, achieved %,.0f/s; p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                        + " max %.1f ms; %,d expected, %,d missing, %,d duplicates; SLA p99 < %.0f ms %s%n",
                result.engine(), result.scenario(), runs.size() > 1 ? " (median of " + runs.size() + " runs)" : "",
                result.offeredRate(), result.achievedRate(), result.p50Ms(), result.p90Ms(), result.p99Ms(), result.p999Ms(),
                result.maxMs(), result.expected(), result.missing(), result.duplicates(), result.slaP99Ms(),
                result.slaPass() ? "MET" : "NOT MET");
        if (result.resources() != null) {
            System.out.println(Reports.resourcesLine(result.resources()));
        }
        System.out.println("Report: " + dir.resolve("report.html").toAbsolutePath());
        boolean ok = ramp != null ? LatencyHarness.capacity(ramp) > 0 : result.slaPass();
        if (!ok) {
            System.exit(3);
        }
    }

    /**
     * drain fill --authorizations N --report DIR: the backlog on the topic, its description in
     * DIR/backlog.json, and "at EPOCH_MS" on stdout (where the engine is to start).
     * drain measure --report DIR [--engine-pid P] [--broker-pid P] [--quiet 120s] [--command C] [--profile]:
     * reads the backlog's decisions and writes DIR/report.json (and with --profile DIR/flame-engine.html,
     * the engine after the first 20 % of the backlog).
     */
    static void drain(String[] argv) throws Exception {
        if (argv.length == 0 || !(argv[0].equals("fill") || argv[0].equals("measure"))) {
            throw new Args.UsageException("drain fill --authorizations N --report DIR | drain measure --report DIR ...");
        }
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length), Set.of("authorizations", "report", "cards", "seed",
                "bootstrap", "engine-pid", "broker-pid", "quiet", "command"), Set.of("profile"));
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        Path dir = Path.of(args.require("report"));
        Files.createDirectories(dir);
        Path backlogFile = dir.resolve("backlog.json");
        if (argv[0].equals("fill")) {
            long n = args.longValue("authorizations", 300_000);
            WorldConfig config = new WorldConfig(args.longValue("seed", 42), (int) args.longValue("cards", 10_000),
                    LocalDate.now(ZoneOffset.UTC), "dr" + Long.toString(System.currentTimeMillis() / 1000, 36), 1.0);
            Iterator<OpenLoopSender.Message> source =
                    LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(config, tokenizer()))));
            System.err.printf("Drain: %,d authorizations onto %s before the engine starts%n", n,
                    Topic.AUTHORIZATIONS.topicName());
            Drain.Backlog b = Drain.fill(bootstrap, Topic.AUTHORIZATIONS.topicName(), source, n, config.idTag() + "-",
                    System.err::println);
            Files.writeString(backlogFile, Reports.json(Map.of("id_prefix", b.idPrefix(), "count", b.count(),
                    "written_from_epoch_ms", b.writtenFromEpochMs())) + "\n");
            System.out.println("at " + b.writtenFromEpochMs());
            return;
        }
        Map<String, Object> b = JsonTree.object(JsonTree.parse(Files.readAllBytes(backlogFile)), "");
        Drain.Backlog backlog = new Drain.Backlog(JsonTree.string(b, "id_prefix"), (long) JsonTree.number(b, "count"),
                (long) JsonTree.number(b, "written_from_epoch_ms"));
        LatencyHarness.Watched watched = watched(args.longValue("engine-pid", 0), args.longValue("broker-pid", 0));
        if (args.flag("profile")) {
            if (watched.engineJvm() <= 0) {
                throw new Args.UsageException("--profile needs --engine-pid: the profiler attaches to the engine's JVM");
            }
            watched = new LatencyHarness.Watched(watched.cpu(), watched.engineJvm(), dir.resolve("flame-engine.html"));
        }
        Drain.Outcome o = Drain.measure(bootstrap, Topic.DECISIONS.topicName(), backlog, watched,
                args.duration("quiet", Duration.ofSeconds(120)), System.err::println);
        Map<String, Object> json = new LinkedHashMap<>(o.fields());
        json.put("command", args.get("command", "drain measure"));
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("generated_at", java.time.Instant.now().toString());
        Files.writeString(dir.resolve("report.json"), Reports.json(json) + "\n");
        System.out.println(Drain.summary(o));
        System.out.println("Report: " + dir.resolve("report.json").toAbsolutePath());
        if (o.missing() > 0) {
            System.exit(3);
        }
    }

    /** The engine (its process tree; JIT read from its JVM), the broker and this harness. */
    static LatencyHarness.Watched watched(long enginePid, long brokerPid) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(Resources.ENGINE, enginePid);
        pids.put("broker", brokerPid);
        pids.put("harness", ProcessHandle.current().pid());
        return new LatencyHarness.Watched(new ProcessCpu(pids), enginePid > 0 ? ProcessCpu.jvm(enginePid) : 0);
    }

    static void apiBench(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("alerts", "requests", "warmup", "url", "user", "cards", "report", "bootstrap",
                "topic", "timeout"), Set.of());
        int alerts = (int) args.longValue("alerts", 1_000_000);
        var bench = new AlertApiBench(java.net.URI.create(args.get("url", "http://127.0.0.1:8080/")),
                (int) args.longValue("cards", 200_000));
        Map<String, Object> report = new LinkedHashMap<>();
        if (alerts > 0) {
            System.err.printf("Ingest: %,d alerts through Kafka into the alert API's PostgreSQL%n", alerts);
            report.put("ingest", bench.ingest(KafkaSettings.bulkProducer(args.get("bootstrap", KafkaSettings.bootstrap())),
                    args.get("topic", Topic.ALERTS.topicName()), alerts, args.duration("timeout", Duration.ofMinutes(30))));
            System.out.println("ingest: " + Reports.json(report.get("ingest")));
        }
        String password = System.getenv("VIGIL_API_PASSWORD");
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("set VIGIL_API_PASSWORD to the password of --user (./vigil bench api does)");
        }
        int requests = (int) args.longValue("requests", 3_000);
        System.err.printf("List endpoint: %,d requests after %,d warm-up, one client%n", requests, args.longValue("warmup", 300));
        report.put("list", bench.list(args.get("user", "admin"), password, (int) args.longValue("warmup", 300), requests));
        System.out.println("list: " + Reports.json(report.get("list")));
        Path out = Path.of(args.get("report", ".vigil/bench/api")).resolve("api-bench.json");
        AlertApiBench.write(out, report);
        System.out.println("Report: " + out.toAbsolutePath());
    }

    static PanTokenizer tokenizer() {
        PanTokenizer tokenizer = PanTokenizer.fromEnvironment(System.getenv());
        if (TokenKey.DEV_KEY_ID.equals(tokenizer.keyId())) {
            System.err.println("note: VIGIL_MODE=development: tokenizing with the published development key, for "
                    + "synthetic data only (set VIGIL_TOKEN_KEY_FILE and VIGIL_TOKEN_KEY_ID for real card data)");
        }
        if (tokenizer.nextKeyId() != null) {
            System.err.println("note: key '" + tokenizer.nextKeyId() + "' is announced: every record also carries "
                    + "its card's token under it (docs/tokenization-key.md)");
        }
        return tokenizer;
    }

    static void generate(String[] argv) throws IOException {
        Args args = new Args(argv, Set.of("cards", "days", "out", "seed", "start", "fraud-scale", "tag"), Set.of());
        int cards = (int) args.longValue("cards", 10_000);
        int days = (int) args.longValue("days", 30);
        Path out = Path.of(args.require("out"));
        long seed = args.longValue("seed", 42);
        LocalDate start = args.date("start", LocalDate.now(ZoneOffset.UTC).minusDays(days));
        WorldConfig config = new WorldConfig(seed, cards, start, args.get("tag", "g" + Long.toString(Math.abs(seed), 36)),
                args.doubleValue("fraud-scale", 1.0));
        if (Files.exists(out.resolve("_SUCCESS")) || Files.exists(out.resolve(HistoryWriter.AUTHORIZATIONS))) {
            throw new IllegalArgumentException(out + " already holds history; choose an empty folder");
        }
        long t0 = System.nanoTime();
        World world = new World(config, tokenizer());
        Simulator sim = new Simulator(world);
        System.err.printf("Generating %,d cards x %d days from %s (seed %d, %,d merchants) into %s%n", cards, days,
                start, seed, world.merchantCount(), out);
        Map<Scenario, Long> byScenario = new EnumMap<>(Scenario.class);
        try (HistoryWriter writer = new HistoryWriter(out)) {
            for (int d = 0; d < days; d++) {
                DayTraffic day = sim.next();
                for (Generated g : day.authorizations()) {
                    writer.authorization(g.authorization(), g.scenario() == null ? null : g.scenario().name());
                    if (g.scenario() != null) {
                        byScenario.merge(g.scenario(), 1L, Long::sum);
                    }
                }
                day.chargebacks().forEach(writer::label);
                System.err.printf("  day %d/%d %s: %,d authorizations (%,d so far)%n", d + 1, days, day.date(),
                        day.authorizations().size(), writer.authorizations());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("Wrote %,d authorizations (%,d fraud: %s), %,d chargeback labels in %.1f s (%,.0f authorizations/s)%n",
                    writer.authorizations(), writer.fraud(), byScenario, writer.labels(), seconds,
                    writer.authorizations() / seconds);
            System.out.println("History: " + out.toAbsolutePath() + "/{authorizations,labels,truth}/date=YYYY-MM-DD/");
            Files.writeString(out.resolve("world.json"), String.format(
                    "{\"seed\":%d,\"cards\":%d,\"days\":%d,\"start\":\"%s\",\"merchants\":%d,\"authorizations\":%d,"
                            + "\"fraud\":%d,\"labels\":%d,\"id_tag\":\"%s\",\"fraud_scale\":%s}%n",
                    seed, cards, days, start, world.merchantCount(), writer.authorizations(), writer.fraud(),
                    writer.labels(), config.idTag(), config.fraudScale()));
        }
    }

    static void stream(String[] argv) throws InterruptedException {
        Args args = new Args(argv, Set.of("rate", "duration", "cards", "seed", "start", "topic", "tag", "bootstrap",
                "fraud-scale", "max", "warmup", "truth", "drain"), Set.of("measure"));
        double rate = args.doubleValue("rate", 1000);
        Duration duration = args.duration("duration", Duration.ofSeconds(60));
        long seed = args.longValue("seed", 42);
        String tag = args.get("tag", "t" + Long.toString(System.currentTimeMillis() / 1000, 36));
        WorldConfig config = new WorldConfig(seed, (int) args.longValue("cards", 10_000),
                args.date("start", LocalDate.now(ZoneOffset.UTC)), tag, args.doubleValue("fraud-scale", 1.0));
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        String topic = args.get("topic", Topic.AUTHORIZATIONS.topicName());
        // --truth FILE: the fraudulent authorizations' ids and scenarios (what only a generated world knows),
        // so a summary can say what share of the alerts were fraud and how much fraud was alerted.
        String truth = args.get("truth", "");
        Map<String, Scenario> fraud = new LinkedHashMap<>();
        Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(
                LiveTraffic.notingFraud(new LiveTraffic(new Simulator(new World(config, tokenizer()))), fraud));
        System.err.printf("Streaming to %s on %s at %,.0f/s for %s (world of %,d cards, ids %s-*)%n", topic, bootstrap,
                rate, duration, config.cards(), tag);
        DecisionLatency latency = args.flag("measure") ? new DecisionLatency(bootstrap, Topic.DECISIONS.topicName(),
                DecisionLatency.nowMicros() + args.duration("warmup", Duration.ofSeconds(10)).toNanos() / 1000) : null;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap))) {
            OpenLoopSender.Report report = OpenLoopSender.run(producer, topic, source, rate, duration,
                    args.longValue("max", Long.MAX_VALUE), System.err::println,
                    latency == null ? null : (m, scheduled) -> latency.expect(m.id(), scheduled));
            System.out.println(report);
            if (!truth.isBlank()) {
                writeTruth(Path.of(truth), fraud);
            }
            if (latency != null) {
                Duration drain = args.duration("drain", Duration.ofSeconds(30));
                System.err.println("Waiting up to " + drain.toSeconds() + " s for the last decisions ...");
                latency.drain(drain);
                latency.close();
                System.out.println(latency.report());
            }
            if (report.failed() > 0 || (latency != null && latency.missing() > 0)) {
                System.exit(1);
            }
        }
    }

    /** One line per fraudulent authorization: its id and scenario (no card data). */
    private static void writeTruth(Path file, Map<String, Scenario> fraud) {
        StringBuilder out = new StringBuilder();
        fraud.forEach((id, scenario) -> out.append(id).append(' ').append(scenario).append('\n'));
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * History files to the labels and authorizations topics as fast as the broker takes them, then waits
     * until the scoring job decided every authorization: a job that starts with empty card state folds the
     * recent past first. {@code --labels-only}: the labels alone, for a job whose card state was
     * bootstrapped from the lake ({@code ./vigil bootstrap}) but whose merchant risk is read from the
     * labels topic.
     */
    static void sendHistory(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("from", "bootstrap", "timeout", "ready-timeout"), Set.of("labels-only"));
        if (args.positional().size() != 1) {
            throw new Args.UsageException("usage: send-history DIR [--from YYYY-MM-DD] [--timeout 5m] [--labels-only]");
        }
        Path dir = Path.of(args.positional().get(0));
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        if (args.flag("labels-only")) {
            if (args.flag("from") || args.flag("timeout")) {
                throw new Args.UsageException("--labels-only sends every label and waits for nothing: no --from, no --timeout");
            }
            sendLabels(dir, bootstrap);
            return;
        }
        List<LocalDate> dates = HistorySender.dates(dir, args.date("from", null));
        if (dates.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no authorizations from the date asked");
        }
        String topic = Topic.AUTHORIZATIONS.topicName();
        var settings = new LatencyHarness.Settings("flink", bootstrap, topic, Topic.DECISIONS.topicName(), 0, Duration.ZERO,
                Duration.ZERO, LoadScenario.STEADY, 0, Duration.ZERO);
        Duration ready = LatencyHarness.awaitEngine(settings,
                LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(WorldConfig.probes(), tokenizer())))),
                args.duration("ready-timeout", Duration.ofMinutes(3)), System.err::println);
        System.err.printf("The scoring job answers (after %.1f s); sending %s .. %s%n", ready.toMillis() / 1000.0,
                dates.get(0), dates.get(dates.size() - 1));
        long t0 = System.nanoTime();
        DecisionLatency decided = new DecisionLatency(bootstrap, Topic.DECISIONS.topicName(), Long.MAX_VALUE);
        long sent;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap))) {
            // The labels first: the job's live merchant risk then knows what training knew at each moment.
            long labels = HistorySender.readLabels(dir,
                    line -> producer.send(new ProducerRecord<>(Topic.LABELS.topicName(), line.cardToken(), line.value())));
            System.err.printf("  sent %,d labels to %s%n", labels, Topic.LABELS.topicName());
            long now = DecisionLatency.nowMicros();
            sent = HistorySender.read(dir, dates, line -> {
                decided.expect(line.authorizationId(), now);
                producer.send(new ProducerRecord<>(topic, line.cardToken(), line.value()));
            });
            producer.flush();
        }
        double sentSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf("  sent %,d authorizations in %.1f s; waiting for their decisions%n", sent, sentSeconds);
        long deadline = System.nanoTime() + args.duration("timeout", Duration.ofMinutes(5)).toNanos();
        while (decided.decided() < sent && System.nanoTime() < deadline) {
            decided.drain(Duration.ofSeconds(5));
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("  decided %,d of %,d (%.0f s, %,.0f/s)%n", decided.decided(), sent, s, decided.decided() / s);
        }
        decided.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("History %s .. %s: %,d authorizations sent, %,d decided in %.1f s (%,.0f/s), %,d missing; %s;"
                        + " without card history %,d%n",
                dates.get(0), dates.get(dates.size() - 1), sent, decided.decided(), seconds, decided.decided() / seconds,
                decided.missing(), decided.actionMix(), decided.cold());
        if (decided.missing() > 0) {
            System.exit(1);
        }
    }

    /**
     * Every label of the history to the labels topic, each send confirmed. The job reads that topic from
     * its start, so it need not be running yet; a label the broker did not take is an error.
     */
    private static void sendLabels(Path dir, String bootstrap) throws IOException {
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        long labels;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap))) {
            labels = HistorySender.readLabels(dir, line -> producer.send(
                    new ProducerRecord<>(Topic.LABELS.topicName(), line.cardToken(), line.value()),
                    (meta, e) -> failed.addAndGet(e == null ? 0 : 1)));
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + labels + " labels were not sent to " + Topic.LABELS.topicName());
        }
        System.out.printf("Labels: %,d of the history sent to %s%n", labels, Topic.LABELS.topicName());
    }

    static void replay(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("format", "mapping", "out", "seed", "bootstrap"), Set.of("to-kafka"));
        if (args.positional().size() != 1) {
            throw new Args.UsageException("usage: replay FILE (--format sparkov | --mapping FILE) [--out DIR] [--to-kafka]");
        }
        Path file = Path.of(args.positional().get(0));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        ColumnMapping mapping;
        if (args.flag("mapping")) {
            mapping = ColumnMapping.load(Path.of(args.require("mapping")));
        } else {
            mapping = ColumnMapping.builtIn(args.require("format"));
        }
        String stem = file.getFileName().toString().replaceAll("\\.(csv|txt)(\\.gz)?$", "");
        String home = System.getProperty("vigil.home", ".vigil");
        Path out = Path.of(args.get("out", home + "/history/" + stem));
        boolean toKafka = args.flag("to-kafka");
        if (Files.exists(out.resolve(HistoryWriter.AUTHORIZATIONS))) {
            throw new IllegalArgumentException(out + " already holds history; remove it or choose --out");
        }
        long t0 = System.nanoTime();
        CsvImporter importer = new CsvImporter(mapping, tokenizer(), args.longValue("seed", 42));
        Path rejects = out.resolve("rejects.txt");
        Files.createDirectories(out);
        AtomicLong shown = new AtomicLong();
        String bootstrap = args.get("bootstrap", KafkaSettings.bootstrap());
        System.err.printf("Importing %s into %s%s%n", file, out, toKafka ? " and Kafka at " + bootstrap : "");
        CsvImporter.Result result;
        try (HistoryWriter writer = new HistoryWriter(out);
             var rejectLog = Files.newBufferedWriter(rejects);
             Producer<String, byte[]> producer = toKafka ? new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap)) : null) {
            CsvImporter.Sink sink = new CsvImporter.Sink() {
                @Override
                public void authorization(Authorization a, boolean fraud) throws IOException {
                    writer.authorization(a, fraud ? "FRAUD" : null);
                    if (producer != null) {
                        producer.send(new ProducerRecord<>(Topic.AUTHORIZATIONS.topicName(), a.cardToken(),
                                AuthorizationCodec.INSTANCE.encode(a)));
                    }
                }

                @Override
                public void label(Label label) {
                    writer.label(label);
                    if (producer != null) {
                        producer.send(new ProducerRecord<>(Topic.LABELS.topicName(), label.cardToken(),
                                LabelCodec.INSTANCE.encode(label)));
                    }
                }
            };
            result = importer.run(file, sink, r -> {
                try {
                    rejectLog.write("line " + r.line() + ": " + r.reason() + "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (shown.incrementAndGet() <= 20) {
                    System.err.println("  rejected line " + r.line() + ": " + r.reason());
                }
            }, n -> System.err.printf("  %,d rows imported%n", n));
            if (producer != null) {
                producer.flush();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Imported %,d of %,d rows (%,d rejected, see %s) for %,d cards in %.1f s; %,d fraud rows,"
                        + " %,d chargeback labels%n", result.imported(), result.rows(), result.rejected(), rejects,
                result.cards(), seconds, result.fraud(), result.labels());
        System.out.println("History: " + out.toAbsolutePath() + (toKafka ? "; also sent to Kafka topics "
                + Topic.AUTHORIZATIONS.topicName() + " and " + Topic.LABELS.topicName() : ""));
    }
}
