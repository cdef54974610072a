package dev.vigil.loadtest.chaos;

import dev.vigil.core.json.JsonTree;
import dev.vigil.loadtest.chaos.api.ApiChaos;
import dev.vigil.loadtest.local.LocalVigil;
import dev.vigil.testkit.world.Tokenizers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the chaos scenarios share: a KRaft broker, a Flink session cluster (JobManager and TaskManager,
 * each its own JVM) running the scoring job jar, and, for the scenarios that judge it, PostgreSQL and
 * the alert API; all started through {@code ./vigil} on ports and in a folder of the suite's own. The
 * faults are real: kill -9 of a TaskManager or the broker (whose pid files {@code ./vigil} keeps). The
 * traffic and the judges run in this JVM; each scenario's folder collects its traffic, its faults
 * (faults.tsv) and what the judges read, its report.json goes to the report folder.
 */
final class ChaosRig implements AutoCloseable {
    static final String LINE = "chaos";
    static final List<String> JOB = List.of("--group", "vigil-chaos", "--line", LINE, "--patterns", "off",
            "--checkpoint-interval", "10s");

    final Path work;
    final Path reports;
    final String bootstrap;
    final LocalVigil vigil;
    private final URI flink;
    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-background");
        t.setDaemon(true);
        return t;
    });
    /** The traffic and judges started in the background, and when each has ended, so a failed scenario stops its own. */
    private final Map<Future<?>, java.util.concurrent.CountDownLatch> running = new java.util.concurrent.ConcurrentHashMap<>();
    private LocalVigil.Started apiProcess;

    ChaosRig(Path work, Path reports, int kafkaPort, int flinkPort, int flinkRpcPort, int pgPort, int apiPort) {
        this.work = work;
        this.reports = reports;
        this.bootstrap = "127.0.0.1:" + kafkaPort;
        this.flink = URI.create("http://127.0.0.1:" + flinkPort);
        this.api = URI.create("http://127.0.0.1:" + apiPort);
        Map<String, String> instance = new HashMap<>();
        instance.put("VIGIL_KAFKA_PORT", Integer.toString(kafkaPort));
        instance.put("VIGIL_KAFKA_DIR", work.resolve("kafka").toString());
        instance.put("VIGIL_KAFKA_BOOTSTRAP", bootstrap);
        instance.put("VIGIL_FLINK_PORT", Integer.toString(flinkPort));
        instance.put("VIGIL_FLINK_RPC_PORT", Integer.toString(flinkRpcPort));
        instance.put("VIGIL_FLINK_DIR", work.resolve("flink").toString());
        instance.put("VIGIL_PG_PORT", Integer.toString(pgPort));
        instance.put("VIGIL_PG_DIR", work.resolve("postgres").toString());
        instance.put("VIGIL_API_PORT", Integer.toString(apiPort));
        instance.put("VIGIL_API_LOG", work.resolve("alert-api/alert-api.log").toString());
        this.vigil = new LocalVigil(work, work.resolve("steps"), instance);
    }

    /**
     * Stops what a run that died left (its pid files are in the folder), then empties the folder and
     * the scenarios' report folders, so that the table shows only this run.
     */
    void clear(List<String> scenarios) throws IOException, InterruptedException {
        killLeftovers();
        LocalVigil.deleteRecursively(work);
        Files.createDirectories(work);
        for (String scenario : scenarios) {
            for (String folder : List.of(scenario, scenario + "-api", scenario + "-baseline")) {
                LocalVigil.deleteRecursively(reports.resolve(folder));
            }
        }
        Files.createDirectories(reports);
    }

    /**
     * Every daemon the folder's pid files name, at once: kill -9 for the JVMs, a fast shutdown for
     * PostgreSQL. What a run that died left, and the way out when this JVM is stopped before the
     * suite's end (an orderly stop takes a savepoint first, which may take minutes).
     */
    void killLeftovers() throws IOException, InterruptedException {
        for (String pidFile : List.of("flink/taskmanager.pid", "flink/jobmanager.pid", "kafka/broker.pid", API_PID)) {
            Long pid = pid(work.resolve(pidFile));
            if (pid != null && ProcessHandle.of(pid).isPresent()) {
                kill9(pid);
            }
        }
        Path postmaster = work.resolve("postgres/data/postmaster.pid");
        Long postgres = pid(postmaster);
        if (postgres != null && ProcessHandle.of(postgres).isPresent()) {
            new ProcessBuilder("kill", "-INT", postgres.toString()).start().waitFor(); // PostgreSQL's fast shutdown
            for (int i = 0; i < 300 && Files.exists(postmaster); i++) {
                Thread.sleep(100);
            }
        }
    }

    private static final String API_PID = "alert-api/api.pid";

    /** The first line of a pid file, or null. */
    private static Long pid(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        List<String> lines = Files.readAllLines(file);
        return lines.isEmpty() || lines.get(0).isBlank() ? null : Long.parseLong(lines.get(0).trim());
    }

    /** The broker, the topics, the session cluster and the scoring job, patterns off, from the newest offsets. */
    void up() throws IOException, InterruptedException {
        vigil.run("kafka", "start");
        vigil.run("topics");
        vigil.run("flink", "start");
        submit(null, "latest");
    }

    /** Submits the scoring job (from {@code savepoint} when given) and waits until all its tasks run. */
    void submit(String savepoint, String startFrom) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("flink", "submit"));
        if (savepoint != null) {
            args.addAll(List.of("--from-savepoint", savepoint));
        }
        args.addAll(JOB);
        args.addAll(List.of("--start-from", startFrom));
        vigil.run(args.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopBackground();
        background.shutdownNow();
        try {
            apiDown();
        } finally {
            try {
                vigil.attempt("flink", "stop");
            } finally {
                vigil.attempt("kafka", "stop");
            }
        }
    }

    Path run(String scenario) throws IOException {
        return Files.createDirectories(work.resolve(scenario));
    }

    Path report(String scenario) {
        return reports.resolve(scenario);
    }

    /** A scenario's traffic, running in this JVM. */
    record Traffic(String scenario, Future<?> sender) {
        /** Waits for the traffic to finish; a sender that failed fails the scenario. */
        void await() throws Exception {
            try {
                sender.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("the traffic of " + scenario + " failed", e.getCause());
            }
        }
    }

    /**
     * Starts the scenario's traffic ({@code hostile} bad records among it; the world of {@code seed},
     * or a new one) and returns once the job answered the probes and the traffic began.
     */
    Traffic send(String scenario, ChaosLoad load, long hostile, Long seed) throws Exception {
        Path out = run(scenario);
        Files.deleteIfExists(out.resolve("traffic.json"));
        var settings = new ChaosTraffic.Settings(bootstrap, load.rate(), Duration.ofSeconds(load.seconds()), load.cards(),
                hostile, out, Duration.ofMinutes(3), seed);
        Future<?> sender = inBackground(() -> {
            ChaosTraffic.run(settings, Tokenizers.fromEnvironment());
            return null;
        });
        Traffic traffic = new Traffic(scenario, sender);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!Files.exists(out.resolve("traffic.json"))) {
            if (sender.isDone()) {
                traffic.await();
                throw new AssertionError("the traffic of " + scenario + " ended before it started");
            }
            if (System.nanoTime() > deadline) {
                sender.cancel(true);
                throw new AssertionError("the traffic of " + scenario + " did not start in 5 minutes");
            }
            Thread.sleep(200);
        }
        return traffic;
    }

    /** Records a fault, after it happened, for the judge. */
    void fault(String scenario, String kind, String detail) throws IOException {
        Files.writeString(run(scenario).resolve("faults.tsv"), kind + "\t" + System.currentTimeMillis() + "\t" + detail + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Judges a scenario from what came out of Kafka; true when it passed (its report.json says why not). */
    boolean verify(String scenario, Duration timeout) throws IOException, InterruptedException {
        return verify(scenario, timeout, null, null, null, 0);
    }

    boolean verify(String scenario, Duration timeout, Path badModels, Path latencyBaseline, Path history, long stateSinceMs)
            throws IOException, InterruptedException {
        Path run = run(scenario);
        return ChaosVerify.run(new ChaosVerify.Settings(bootstrap, scenario, run, run.resolve("faults.tsv"), badModels,
                jobState(), timeout, report(scenario), latencyBaseline, history, stateSinceMs));
    }

    /** kill -9 of the TaskManager, a new one started as a supervisor would; returns once the job runs again. */
    void killTaskManager(String scenario) throws Exception {
        long pid = Long.parseLong(Files.readString(work.resolve("flink/taskmanager.pid")).trim());
        long at = System.currentTimeMillis();
        kill9(pid);
        fault(scenario, "kill-9-taskmanager", "pid " + pid);
        System.err.println("  killed the TaskManager (pid " + pid + ", kill -9); starting a new one, as a supervisor would");
        vigil.run("flink", "add-taskmanager");
        long noticed = awaitRestart(at);
        System.err.printf("  the JobManager restarted the job %d s after the kill; it runs again%n", (noticed - at) / 1000);
    }

    /** kill -9 of the broker; {@link #startBroker()} brings it back on the same folder. */
    long killBroker() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(work.resolve("kafka/broker.pid")).trim());
        kill9(pid);
        return pid;
    }

    void startBroker() throws IOException, InterruptedException {
        vigil.run("kafka", "start");
    }

    /** SIGKILL, then up to 10 s until it is gone. */
    private static void kill9(long pid) throws InterruptedException {
        var process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            throw new AssertionError("no process " + pid + " to kill");
        }
        process.get().destroyForcibly();
        for (int i = 0; i < 100 && process.get().isAlive() && !zombie(pid); i++) {
            Thread.sleep(100);
        }
        if (process.get().isAlive() && !zombie(pid)) {
            throw new AssertionError("process " + pid + " still runs 10 s after kill -9");
        }
    }

    /**
     * A dead process its parent has not reaped. The daemons' parent was the {@code ./vigil} that
     * started them, so they are reparented, and where nothing reaps orphans a killed one stays a
     * zombie, which {@link ProcessHandle#isAlive()} counts as alive.
     */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** When the JobManager restarted the job after {@code sinceMs}; waits until all its tasks run again. */
    private long awaitRestart(long sinceMs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> job = job();
            if (job != null) {
                long restarted = (long) JsonTree.number(JsonTree.object(job, "timestamps"), "RESTARTING");
                if (restarted >= sinceMs) {
                    awaitRunning();
                    return restarted;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the JobManager did not restart the job within 2 minutes of the fault");
    }

    private void awaitRunning() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> job = job();
            if (job != null && "RUNNING".equals(JsonTree.string(job, "state"))
                    && JsonTree.array(job, "vertices").stream().allMatch(v -> "RUNNING".equals(((Map<?, ?>) v).get("status")))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the scoring job did not run again within a minute of its restart; logs "
                + work.resolve("flink/logs"));
    }

    /** The scoring job's state as the JobManager reports it, or "unknown". */
    String jobState() {
        try {
            Map<String, Object> job = job();
            return job == null ? "unknown" : JsonTree.string(job, "state");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    /** The JobManager's view of the scoring job (GET /jobs/ID), null when it does not answer. */
    private Map<String, Object> job() throws IOException, InterruptedException {
        Path id = work.resolve("flink/job.id");
        if (!Files.exists(id)) {
            return null;
        }
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(flink.resolve("/jobs/" + Files.readString(id).trim()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? JsonTree.object(JsonTree.parse(r.body()), "") : null;
        } catch (IOException e) {
            return null; // not answering (restarting, or gone): the callers wait or say "unknown"
        }
    }

    /** PostgreSQL and the alert API of the suite's own, consuming its broker; started on first use. */
    void apiUp() throws Exception {
        if (apiProcess != null) {
            return;
        }
        try (java.net.Socket taken = new java.net.Socket("127.0.0.1", api.getPort())) {
            throw new AssertionError("port " + api.getPort() + " is taken: an alert API of someone else's would be judged");
        } catch (java.net.ConnectException free) {
            // as it should be
        }
        apiProcess = vigil.start("api");
        Files.writeString(Files.createDirectories(work.resolve(API_PID).getParent()).resolve("api.pid"),
                apiProcess.process().pid() + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!apiProcess.process().isAlive()) {
                throw new AssertionError("the chaos alert API exited; log " + apiProcess.log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(api.resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.err.println("  alert API up on " + api);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the chaos alert API did not start in 3 minutes; log " + apiProcess.log());
    }

    /** Stops the alert API and its database (the TaskManager kills are judged on the job alone). */
    void apiDown() throws IOException, InterruptedException {
        if (apiProcess != null) {
            apiProcess.stop(false);
            apiProcess = null;
            Files.deleteIfExists(work.resolve(API_PID));
        }
        vigil.attempt("postgres", "stop");
    }

    /** The alert API's judge settings: traffic of {@code run}, report under {@code scenario}. */
    ApiChaos.Settings apiJudge(String scenario, String run, Duration readFor, int readers, Path ready)
            throws IOException, InterruptedException {
        Map<String, String> pg = new HashMap<>();
        for (String line : vigil.capture("postgres", "env").split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("VIGIL_PG_") && eq > 0) {
                pg.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return new ApiChaos.Settings(bootstrap, api, adminPassword(), pg.get("VIGIL_PG_URL"), pg.get("VIGIL_PG_USER"),
                pg.get("VIGIL_PG_PASSWORD"), run(run), readFor, readers, Duration.ofMinutes(5), report(scenario), ready);
    }

    /** The first admin's password, which {@code ./vigil api} made for this folder. */
    private String adminPassword() throws IOException {
        return Files.readAllLines(work.resolve("api/credentials")).stream().filter(l -> l.startsWith("admin_password="))
                .map(l -> l.substring("admin_password=".length())).findFirst()
                .orElseThrow(() -> new AssertionError("no admin password in " + work.resolve("api/credentials")));
    }

    /** A scenario's traffic or judge, in this JVM; {@link #stopBackground()} stops what is still running. */
    <T> Future<T> inBackground(java.util.concurrent.Callable<T> task) {
        var ended = new java.util.concurrent.CountDownLatch(1);
        Future<T> f = background.submit(() -> {
            try {
                return task.call();
            } finally {
                ended.countDown();
            }
        });
        running.put(f, ended);
        return f;
    }

    /**
     * Interrupts the traffic and judges still running (their scenario failed) and waits up to a
     * minute for each to end (a cancelled future says "done" at once; its thread may not be).
     */
    void stopBackground() throws InterruptedException {
        running.keySet().forEach(f -> f.cancel(true));
        for (var ended : running.values()) {
            ended.await(1, java.util.concurrent.TimeUnit.MINUTES);
        }
        running.clear();
    }
}
