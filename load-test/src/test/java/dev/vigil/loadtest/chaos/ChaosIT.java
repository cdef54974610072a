package dev.vigil.loadtest.chaos;

import dev.vigil.loadtest.chaos.api.ApiChaos;
import dev.vigil.loadtest.local.LocalVigil;
import dev.vigil.testkit.harness.Reports;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.WorldConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault-injection suite: each scenario a test, in the order below, against one real system of its
 * own ({@link ChaosRig}): traffic, a fault, and a judge of what came out. {@code ./vigil test} runs
 * the short form (the same faults at a low rate; correctness only); {@code ./vigil chaos} the full one,
 * or some scenarios. Properties: {@code vigil.chaos.form} (short|full), {@code vigil.chaos.scenarios}
 * (comma-separated; all when empty), {@code vigil.chaos.report} (the report folder).
 *
 * <p>One champion is published first: its decisions make the alerts the API scenarios ingest. The
 * alert API runs only for the scenarios that judge it (api, broker-restart), so the TaskManager kills
 * are judged on the job alone; pan-scan reads what all the others left. The job runs with the
 * patterns off: FlinkCEP cannot keep up with 5,000/s on two cores, and its watch inputs arrive on a
 * source of their own, so a replay could legitimately interleave them differently.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    static final List<String> SCENARIOS =
            List.of("bad-models", "api", "broker-restart", "tm-kill", "hostile", "nightly-crash", "bootstrap", "pan-scan");

    private static final boolean FULL = "full".equals(System.getProperty("vigil.chaos.form", "short"));
    private static final List<String> CHOSEN = parseScenarios(System.getProperty("vigil.chaos.scenarios", ""));
    private static final Path WORK = Path.of(System.getProperty("vigil.chaos.work", "").isBlank()
            ? LocalVigil.ROOT.resolve(".vigil/chaos/work").toString() : System.getProperty("vigil.chaos.work"));
    private static final Path REPORTS = Path.of(System.getProperty("vigil.chaos.report", "").isBlank()
            ? LocalVigil.ROOT.resolve(".vigil/test/chaos-report").toString() : System.getProperty("vigil.chaos.report"));

    private static ChaosRig rig;
    private static boolean stopped;
    private static String champion;
    private static long started;

    @BeforeAll
    static void up() throws Exception {
        started = System.nanoTime();
        rig = new ChaosRig(WORK, REPORTS, port("kafka", 29192), port("flink", 18091), port("flink.rpc", 16133),
                port("postgres", 15442), port("api", 18480));
        rig.clear(SCENARIOS);
        Runtime.getRuntime().addShutdownHook(KILL_ON_EXIT);
        System.err.printf("Chaos suite (%s): %s; reports in %s%n", FULL ? "full" : "short", String.join(" ", CHOSEN), REPORTS);
        rig.up();
        Path store = Files.createDirectories(WORK.resolve("store"));
        champion = BadModels.publishChampion(rig.bootstrap, "file://" + store, ChaosRig.LINE);
        System.err.println("  champion " + champion + " published");
    }

    /** A scenario that failed leaves no traffic or judge running into the next. */
    @AfterEach
    void stopWhatTheScenarioLeftRunning() throws InterruptedException {
        rig.stopBackground();
    }

    @AfterAll
    static void down() throws Exception {
        try {
            System.err.println(ChaosTable.of(REPORTS));
            System.err.printf("Chaos suite done in %d s (reports in %s; logs in %s)%n",
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), REPORTS, WORK);
        } finally {
            synchronized (ChaosIT.class) {
                stopped = true;
            }
            rig.close();
        }
    }

    /**
     * When the JVM goes before @AfterAll (Ctrl-C, a killed fork), every daemon at once: the orderly
     * stop takes a savepoint first, longer than the fork is given to exit.
     */
    private static final Thread KILL_ON_EXIT = new Thread(() -> {
        synchronized (ChaosIT.class) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        try {
            rig.killLeftovers();
        } catch (Exception e) {
            System.err.println("ChaosIT: stopping its services failed: " + e);
        }
    });

    @Test
    @Order(1)
    void aTruncatedModelAWrongChecksumAndAFeatureMismatchAreRefusedWhileTheChampionServes() throws Exception {
        String name = chosen("bad-models");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        step(name, "a truncated model, a wrong checksum and a mismatched feature list after the good champion");
        ChaosRig.Traffic traffic = rig.send(name, load, 0, null);
        Thread.sleep(4_000);
        Path published = rig.run(name).resolve("bad-models.json");
        BadModels.publishBad(rig.bootstrap, "file://" + WORK.resolve("store"), ChaosRig.LINE, champion, published);
        rig.fault(name, "publish-bad-models", "truncated, wrong checksum, feature mismatch");
        traffic.await();
        assertPassed(name, rig.verify(name, Duration.ofMinutes(5), published, null, null, 0));
    }

    @Test
    @Order(2)
    void theAlertApiAnswersEveryRoleUnderLoadAndRefusesHostileRequests() throws Exception {
        String name = chosen("api");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        step(name, load.extra() + " analysts read while " + load.rate() + "/s of traffic makes alerts; every endpoint × role; hostile requests");
        rig.apiUp();
        // The judge first: its users and its live stream are ready before the first alert can be stored
        // (setting them up took longer than the whole traffic on a slow machine). It starts the read window
        // when the traffic starts.
        Path ready = WORK.resolve(name + ".ready");
        ApiChaos.Settings judge = rig.apiJudge(name, name, Duration.ofSeconds(load.seconds() - 4), load.extra(), ready);
        Future<Boolean> judged = rig.inBackground(() -> ApiChaos.run(judge));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!Files.exists(ready)) {
            if (judged.isDone()) {
                assertPassed(name, judged.get()); // ended before it was ready: its report says why
                throw new AssertionError("the API judge ended before it was ready");
            }
            assertTrue(System.nanoTime() < deadline, "the API judge was not ready in 5 minutes");
            Thread.sleep(200);
        }
        ChaosRig.Traffic traffic = rig.send(name, load, 0, null);
        boolean pass = judged.get();
        traffic.await();
        assertPassed(name, pass);
    }

    @Test
    @Order(3)
    void theJobAndTheAlertApiReconnectAfterTheBrokerIsKilled() throws Exception {
        String name = chosen("broker-restart");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        step(name, "kill -9 the Kafka broker under " + load.rate() + "/s and start it again; the job and the alert API reconnect");
        rig.apiUp();
        ChaosRig.Traffic traffic = rig.send(name, load, 0, null);
        Thread.sleep(8_000);
        long pid = rig.killBroker();
        rig.fault(name, "kill-9-broker", "pid " + pid);
        Thread.sleep(5_000);
        rig.startBroker();
        rig.fault(name, "restart-broker", "down about 5 s");
        traffic.await();
        boolean job = rig.verify(name, Duration.ofMinutes(10));
        boolean api = ApiChaos.reconnect(rig.apiJudge(name + "-api", name, Duration.ofSeconds(30), 3, null));
        assertPassed(name, job);
        assertPassed(name + "-api", api);
    }

    @Test
    @Order(4)
    void everyAuthorizationIsDecidedOnceThroughTaskManagerKills() throws Exception {
        String name = chosen("tm-kill");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        step(name, "kill -9 the TaskManager " + load.extra() + " time(s) under " + load.rate() + "/s for " + load.seconds() + " s");
        rig.apiDown();
        ChaosRig.Traffic traffic = rig.send(name, load, 0, null);
        for (int k = 1; k <= load.extra(); k++) {
            Thread.sleep(k == 1 ? 8_000 : 6_000);
            rig.killTaskManager(name);
        }
        traffic.await();
        assertPassed(name, rig.verify(name, Duration.ofMinutes(10)));
    }

    @Test
    @Order(5)
    void hostileRecordsGoToTheDeadLetterTopicAndTheValidTrafficIsDecided() throws Exception {
        String name = chosen("hostile");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        step(name, load.extra() + " malformed, truncated, oversized, wrong-typed and random-byte records in " + load.rate()
                + "/s of traffic");
        rig.apiDown();
        Path baseline = null;
        if (FULL) {
            // The same rate without hostile records first: the latency the valid traffic must keep.
            String base = name + "-baseline";
            System.err.println("  baseline: " + load.rate() + "/s of valid traffic only for 20 s");
            rig.send(base, new ChaosLoad(load.rate(), 20, load.cards(), 0), 0, null).await();
            assertPassed(base, rig.verify(base, Duration.ofMinutes(5)));
            baseline = rig.report(base).resolve("report.json");
        }
        rig.send(name, load, load.extra(), null).await();
        assertPassed(name, rig.verify(name, Duration.ofMinutes(5), null, baseline, null, 0));
    }

    @Test
    @Order(6)
    void aNightKilledWhileItWritesAndRunAgainLeavesTheLakeOfACleanRun() throws Exception {
        String name = chosen("nightly-crash");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        int days = load.seconds();
        int nights = load.extra();
        step(name, "kill -9 the nightly while it writes, run it again; every table and version against a clean run");
        rig.apiDown();
        Path run = rig.run(name);
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(days + 1);
        LocalDate last = start.plusDays(days - 1);
        LocalDate from = last.minusDays(nights - 1);
        rig.vigil.run("generate", "--cards", Integer.toString(load.cards()), "--days", Integer.toString(days),
                "--fraud-scale", "10", "--seed", "4242", "--start", start.toString(), "--tag", "crash",
                "--out", run.resolve("world").toString());
        Files.writeString(run.resolve("world-seed"), "4242:" + load.cards());
        System.err.printf("  clean run: history into bronze, then %d night(s) %s .. %s%n", nights, from, last);
        rig.vigil.run(night(run, "clean", from, last));

        System.err.printf("  the same run into a second lake, killed while it writes the profiles of its %d night(s)%n", nights);
        LocalVigil.Started crashed = rig.vigil.start(night(run, "lake", from, last));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (crashed.process().isAlive() && System.nanoTime() < deadline
                && steps(crashed.log()).noneMatch(l -> l.matches("^\\[[^\\]]*\\] write .*"))) {
            Thread.sleep(100);
        }
        Thread.sleep(500);
        boolean alive = crashed.process().isAlive();
        String during = steps(crashed.log()).reduce((a, b) -> b).orElse("");
        crashed.stop(true);
        String lake = "file://" + run.resolve("lake");
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(lake)),
                "the killed nightly left a process behind");
        rig.fault(name, "kill-9-nightly", "during: " + during);
        long commits = count(run.resolve("lake"), "_delta_log", ".json");
        long clean = count(run.resolve("clean"), "_delta_log", ".json");
        Map<String, Object> crash = new LinkedHashMap<>();
        crash.put("killed_during", during);
        crash.put("mid_run", alive && commits < clean);
        crash.put("commits_at_kill", commits);
        crash.put("commits_of_clean_run", clean);
        crash.put("data_files_at_kill", count(run.resolve("lake"), null, ".parquet"));
        Files.writeString(run.resolve("crash.json"), Reports.json(crash));
        System.err.printf("  killed during \"%s\": %d Delta commits in that lake (the clean run made %d); running it again%n",
                during, commits, clean);
        rig.vigil.run(night(run, "lake", from, last));
        // One Spark session: both lakes' digests, and the clean lake row by row for the PAN scan (the
        // rerun's content is the same, as judged here).
        rig.vigil.run("lake", "digest", "--lake", "file://" + run.resolve("clean"), "--versions", "all",
                "--out", run.resolve("clean-digest.json").toString(), "--rows", run.resolve("rows").toString(),
                "--also", lake, "--also-out", run.resolve("rerun-digest.json").toString());
        assertPassed(name, NightlyCrashVerify.run(run.resolve("clean-digest.json"), run.resolve("rerun-digest.json"),
                run.resolve("crash.json"), run.resolve("faults.tsv"), rig.report(name)));
    }

    @Test
    @Order(7)
    void theJobRestartedFromStateFoldedFromTheLakeCountsEveryCardsHistory() throws Exception {
        String name = chosen("bootstrap");
        ChaosLoad load = ChaosLoad.of(name, FULL);
        int days = load.extra();
        step(name, "the job restarted from " + load.cards() + " cards' state folded from " + days
                + " days in a lake; their traffic at " + load.rate() + "/s, one TaskManager kill");
        rig.apiDown();
        Path run = rig.run(name);
        long seed = System.currentTimeMillis();
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(days + 1);
        LocalDate last = first.plusDays(days - 1);
        String tag = "bh" + LocalTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HHmmss"));
        rig.vigil.run("generate", "--cards", Integer.toString(load.cards()), "--days", Integer.toString(days),
                "--seed", Long.toString(seed), "--start", first.toString(), "--tag", tag, "--out", run.resolve("history").toString());
        rig.vigil.run("lake", "load", run.resolve("history").toString(), "--lake", "file://" + run.resolve("lake"));
        String said = rig.vigil.run("bootstrap", "--date", last.toString(), "--lake", "file://" + run.resolve("lake"),
                "--savepoint", "file://" + run.resolve("savepoint"));
        said.lines().filter(l -> l.startsWith("Card states: ") || l.startsWith("Savepoint: "))
                .forEach(l -> System.err.println("  " + l));
        // As an upgrade that cannot keep its state would: stop the job, start it from the bootstrap
        // savepoint, its authorizations from now (the savepoint holds no offsets; nothing of these
        // cards was sent yet).
        rig.vigil.run("flink", "stop-job");
        long restarted = System.currentTimeMillis();
        rig.submit("file://" + run.resolve("savepoint"), "at:" + restarted);
        ChaosRig.Traffic traffic = rig.send(name, load, 0, seed);
        Thread.sleep(8_000);
        rig.killTaskManager(name);
        traffic.await();
        assertPassed(name, rig.verify(name, Duration.ofMinutes(5), null, null, run.resolve("history"), restarted));
    }

    @Test
    @Order(8)
    void noCardNumberInClearInAnyTopicOrFileTheOthersLeft() throws Exception {
        String name = chosen("pan-scan");
        step(name, "every topic and every file the runs above left (Kafka logs, checkpoints, logs, models, the database, API responses)");
        List<Path> pans = new ArrayList<>();
        List<WorldConfig> worlds = new ArrayList<>();
        try (Stream<Path> runs = Files.list(WORK)) {
            for (Path run : runs.filter(Files::isDirectory).sorted().toList()) {
                if (Files.exists(run.resolve("pans.json"))) {
                    pans.add(run.resolve("pans.json"));
                }
                if (Files.exists(run.resolve("world-seed"))) {
                    worlds.add(PanScan.world(Files.readString(run.resolve("world-seed"))));
                }
            }
        }
        PanScan scan = new PanScan(pans, worlds, Tokenizers.fromEnvironment());
        System.err.println("  scanning every topic ...");
        scan.topics(rig.bootstrap, 0);
        System.err.println("  scanning files under " + WORK + " ...");
        scan.files(WORK);
        assertPassed(name, scan.report(rig.report(name), name));
    }

    private static String[] night(Path run, String lake, LocalDate from, LocalDate to) {
        return new String[] {"nightly", "--load", run.resolve("world").toString(), "--from", from.toString(),
                "--to", to.toString(), "--ingest", "off", "--publish", "off", "--lake", "file://" + run.resolve(lake),
                "--out", run.resolve(lake + "-summaries").toString(), "--no-train"};
    }

    /** The night's step lines ("[time] step ...") its log holds so far (still being written: decoded leniently). */
    private static Stream<String> steps(Path log) throws IOException {
        return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("["));
    }

    /** Files under {@code dir} named {@code *suffix}, inside a folder named {@code parent} when given. */
    private static long count(Path dir, String parent, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .filter(f -> parent == null || f.getParent().getFileName().toString().equals(parent)).count();
        }
    }

    /** The scenario's name, when the run chose it; otherwise the test is skipped. */
    private static String chosen(String scenario) {
        assumeTrue(CHOSEN.contains(scenario), scenario + " not chosen");
        return scenario;
    }

    private static List<String> parseScenarios(String property) {
        if (property.isBlank()) {
            return SCENARIOS;
        }
        List<String> chosen = Arrays.stream(property.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String s : chosen) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s + " (known: " + String.join(" ", SCENARIOS) + ")");
            }
        }
        return chosen;
    }

    private static int port(String service, int fallback) {
        return Integer.parseInt(System.getProperty("vigil.chaos." + service + ".port", Integer.toString(fallback)));
    }

    private static void step(String scenario, String what) {
        System.err.println("==> chaos " + scenario + ": " + what);
    }

    private static void assertPassed(String scenario, boolean pass) {
        assertTrue(pass, "chaos " + scenario + " failed; its report: " + rig.report(scenario).resolve("report.json"));
    }
}
