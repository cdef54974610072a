package dev.vigil.loadtest.cli;

import dev.vigil.loadtest.chaos.BadModels;
import dev.vigil.loadtest.chaos.ChaosTraffic;
import dev.vigil.loadtest.chaos.ChaosVerify;
import dev.vigil.loadtest.chaos.NightlyCrashVerify;
import dev.vigil.loadtest.chaos.PanScan;
import dev.vigil.loadtest.chaos.api.ApiChaos;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.tools.CommandLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The Java half of {@code ./vigil chaos} (deploy/local/chaos.sh injects the faults): the load, the
 * judges of each scenario, the bad models, the PAN scan. Each judge exits 0 when the scenario passed
 * and 3 when it failed.
 */
@Command(name = "chaos", subcommands = {ChaosCli.Send.class, ChaosCli.Verify.class, ChaosCli.Models.class,
        ChaosCli.Api.class, ChaosCli.NightlyVerify.class, ChaosCli.PanScanCommand.class})
final class ChaosCli {
    private ChaosCli() {
    }

    @Command(name = "send", description = "the load of a scenario; traffic.json and pans.json in --out")
    static final class Send implements Callable<Integer> {
        @Option(names = "--rate")
        double rate = 1000;

        @Option(names = "--duration", converter = CommandLines.DurationText.class)
        Duration duration = Duration.ofSeconds(30);

        @Option(names = "--cards")
        int cards = 5000;

        @Option(names = "--hostile", converter = CommandLines.Count.class, description = "bad records mixed in")
        long hostile;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--ready-timeout", converter = CommandLines.DurationText.class)
        Duration readyTimeout = Duration.ofMinutes(3);

        @Option(names = "--seed", description = "default: a new world each run")
        Long seed;

        @Override
        public Integer call() throws Exception {
            ChaosTraffic.run(new ChaosTraffic.Settings(bootstrap, rate, duration, cards, hostile, out, readyTimeout, seed),
                    Tokenizers.fromEnvironment());
            return 0;
        }
    }

    @Command(name = "verify", description = "judges a scenario from Kafka: every authorization decided, nothing lost")
    static final class Verify implements Callable<Integer> {
        @Option(names = "--scenario", required = true)
        String scenario;

        @Option(names = "--run", required = true)
        Path run;

        @Option(names = "--report", required = true)
        Path report;

        @Option(names = "--faults")
        Path faults;

        @Option(names = "--bad-models")
        Path badModels;

        @Option(names = "--job-state")
        String jobState;

        @Option(names = "--timeout", converter = CommandLines.DurationText.class)
        Duration timeout = Duration.ofMinutes(5);

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--latency-baseline")
        Path latencyBaseline;

        @Option(names = "--history")
        Path history;

        @Option(names = "--state-since-ms")
        long stateSinceMs;

        @Override
        public Integer call() throws Exception {
            boolean pass = ChaosVerify.run(new ChaosVerify.Settings(bootstrap, scenario, run, faults, badModels, jobState,
                    timeout, report, latencyBaseline, history, stateSinceMs));
            return pass ? 0 : 3;
        }
    }

    @Command(name = "models", subcommands = {Models.Champion.class, Models.Bad.class},
            description = "a champion for the scenarios, and bad model files that must be refused")
    static final class Models {
        @Command(name = "champion", description = "publishes a champion; prints its version")
        static final class Champion implements Callable<Integer> {
            @Option(names = "--store", required = true)
            String store;

            @Option(names = "--line", required = true)
            String line;

            @Option(names = "--bootstrap")
            String bootstrap = KafkaSettings.bootstrap();

            @Override
            public Integer call() throws Exception {
                System.out.println(BadModels.publishChampion(bootstrap, store, line));
                return 0;
            }
        }

        @Command(name = "bad", description = "publishes the bad models; what was published goes to --out")
        static final class Bad implements Callable<Integer> {
            @Option(names = "--store", required = true)
            String store;

            @Option(names = "--line", required = true)
            String line;

            @Option(names = "--champion", required = true)
            String champion;

            @Option(names = "--out", required = true)
            Path out;

            @Option(names = "--bootstrap")
            String bootstrap = KafkaSettings.bootstrap();

            @Override
            public Integer call() throws Exception {
                BadModels.publishBad(bootstrap, store, line, champion, out);
                return 0;
            }
        }
    }

    /** The database from VIGIL_PG_URL / _USER / _PASSWORD, the first admin from VIGIL_API_ADMIN_PASSWORD. */
    @Command(name = "api", description = "the alert API under load and attack (or, --reconnect, across a broker restart)")
    static final class Api implements Callable<Integer> {
        @Option(names = "--api", required = true)
        String api;

        @Option(names = "--run", required = true)
        Path run;

        @Option(names = "--report", required = true)
        Path report;

        @Option(names = "--read-for", converter = CommandLines.DurationText.class)
        Duration readFor = Duration.ofSeconds(30);

        @Option(names = "--readers")
        int readers = 3;

        @Option(names = "--timeout", converter = CommandLines.DurationText.class)
        Duration timeout = Duration.ofMinutes(5);

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--ready", description = "a file written once the judge is ready for the fault")
        Path ready;

        @Option(names = "--reconnect")
        boolean reconnect;

        @Override
        public Integer call() throws Exception {
            ApiChaos.Settings settings = new ApiChaos.Settings(bootstrap, java.net.URI.create(api),
                    env("VIGIL_API_ADMIN_PASSWORD"), env("VIGIL_PG_URL"), env("VIGIL_PG_USER"), env("VIGIL_PG_PASSWORD"),
                    run, readFor, readers, timeout, report, ready);
            return (reconnect ? ApiChaos.reconnect(settings) : ApiChaos.run(settings)) ? 0 : 3;
        }
    }

    @Command(name = "nightly-verify", description = "a crashed-and-rerun night against a clean one, from their digests")
    static final class NightlyVerify implements Callable<Integer> {
        @Option(names = "--clean", required = true)
        Path clean;

        @Option(names = "--rerun", required = true)
        Path rerun;

        @Option(names = "--crash", required = true)
        Path crash;

        @Option(names = "--faults", required = true)
        Path faults;

        @Option(names = "--report", required = true)
        Path report;

        @Override
        public Integer call() throws Exception {
            return NightlyCrashVerify.run(clean, rerun, crash, faults, report) ? 0 : 3;
        }
    }

    @Command(name = "pan-scan", description = "every topic, the API's answers and the given folders, for clear card numbers")
    static final class PanScanCommand implements Callable<Integer> {
        @Option(names = "--report", required = true)
        Path report;

        // Lists given as one comma-separated value, which the scripts may leave empty.
        @Option(names = "--pans", split = ",", description = "files of the card numbers sent")
        List<String> pans = new ArrayList<>();

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
            List<WorldConfig> configs = new ArrayList<>();
            for (String w : worlds) {
                if (w.isBlank()) {
                    continue;
                }
                String[] sc = w.split(":");
                if (sc.length != 2) {
                    throw new IllegalArgumentException("--worlds takes SEED:CARDS, got " + w);
                }
                configs.add(new WorldConfig(Long.parseLong(sc[0]), Integer.parseInt(sc[1]), LocalDate.now(ZoneOffset.UTC),
                        "scan", 1.0));
            }
            PanScan scan = new PanScan(pans.stream().filter(p -> !p.isBlank()).map(Path::of).toList(), configs,
                    Tokenizers.fromEnvironment());
            System.err.println("  scanning every topic ...");
            scan.topics(bootstrap, sinceMs);
            if (api != null && !api.isBlank()) {
                System.err.println("  reading the alert API's answers as an admin ...");
                scan.api(java.net.URI.create(api), env("VIGIL_API_ADMIN_PASSWORD"), apiAlerts);
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

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set (./vigil chaos sets it)");
        }
        return v;
    }
}
