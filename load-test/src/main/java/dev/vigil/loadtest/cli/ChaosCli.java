package dev.vigil.loadtest.cli;

import dev.vigil.loadtest.chaos.api.ApiChaos;
import dev.vigil.loadtest.chaos.BadModels;
import dev.vigil.loadtest.chaos.ChaosTraffic;
import dev.vigil.loadtest.chaos.ChaosVerify;
import dev.vigil.loadtest.chaos.NightlyCrashVerify;
import dev.vigil.loadtest.chaos.PanScan;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.loadtest.kafka.KafkaSettings;
import dev.vigil.loadtest.world.WorldConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The Java half of {@code ./vigil chaos} (deploy/local/chaos.sh injects the faults):
 * <pre>
 *   chaos send --rate R --duration D --cards N [--hostile N] --out DIR      the load, traffic.json, pans.json
 *   chaos verify --scenario S --run DIR [--faults F] [--bad-models F] [--latency-baseline REPORT] [--job-state S]
 *                [--timeout 5m] --report DIR
 *   chaos models champion --store URI --line L | bad --store URI --line L --champion V --out FILE
 *   chaos pan-scan --report DIR [--pans F,F] [--worlds SEED:CARDS,...] [--dirs D,D] [--since-ms T]
 *                  [--api URL [--api-alerts 500]]
 *   chaos api --api URL --run DIR --report DIR [--read-for 30s] [--readers 3] [--timeout 5m] [--ready FILE] [--reconnect]
 *       (the database from VIGIL_PG_URL / _USER / _PASSWORD, the first admin from VIGIL_API_ADMIN_PASSWORD)
 *   chaos nightly-verify --clean DIGEST --rerun DIGEST --crash FILE --faults FILE --report DIR
 * </pre>
 */
public final class ChaosCli {
    private ChaosCli() {
    }

    /** Returns the process exit code: 0 pass, 3 a scenario failed. */
    public static int run(String[] argv, PanTokenizer tokenizer) throws Exception {
        if (argv.length == 0) {
            throw new Args.UsageException("chaos send|verify|models|pan-scan ...");
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "send" -> {
                Args a = new Args(rest, Set.of("rate", "duration", "cards", "hostile", "out", "bootstrap", "ready-timeout", "seed"),
                        Set.of());
                ChaosTraffic.run(new ChaosTraffic.Settings(a.get("bootstrap", KafkaSettings.bootstrap()), a.doubleValue("rate", 1000),
                        a.duration("duration", Duration.ofSeconds(30)), (int) a.longValue("cards", 5000),
                        a.longValue("hostile", 0), Path.of(a.require("out")),
                        a.duration("ready-timeout", Duration.ofMinutes(3)),
                        a.flag("seed") ? Long.valueOf(a.longValue("seed", 0)) : null), tokenizer);
                return 0;
            }
            case "verify" -> {
                Args a = new Args(rest, Set.of("scenario", "run", "faults", "bad-models", "job-state", "timeout", "report",
                        "bootstrap", "latency-baseline", "history", "state-since-ms"), Set.of());
                String history = a.get("history", "");
                String faults = a.get("faults", "");
                String bad = a.get("bad-models", "");
                String baseline = a.get("latency-baseline", "");
                boolean pass = ChaosVerify.run(new ChaosVerify.Settings(a.get("bootstrap", KafkaSettings.bootstrap()),
                        a.require("scenario"), Path.of(a.require("run")), faults.isBlank() ? null : Path.of(faults),
                        bad.isBlank() ? null : Path.of(bad), a.get("job-state", null),
                        a.duration("timeout", Duration.ofMinutes(5)), Path.of(a.require("report")),
                        baseline.isBlank() ? null : Path.of(baseline), history.isBlank() ? null : Path.of(history),
                        a.longValue("state-since-ms", 0)));
                return pass ? 0 : 3;
            }
            case "models" -> {
                if (rest.length == 0) {
                    throw new Args.UsageException("chaos models champion|bad ...");
                }
                Args a = new Args(Arrays.copyOfRange(rest, 1, rest.length), Set.of("store", "line", "champion", "out",
                        "bootstrap"), Set.of());
                String bootstrap = a.get("bootstrap", KafkaSettings.bootstrap());
                if (rest[0].equals("champion")) {
                    System.out.println(BadModels.publishChampion(bootstrap, a.require("store"), a.require("line")));
                } else {
                    BadModels.publishBad(bootstrap, a.require("store"), a.require("line"), a.require("champion"),
                            Path.of(a.require("out")));
                }
                return 0;
            }
            case "api" -> {
                Args a = new Args(rest, Set.of("api", "run", "report", "read-for", "readers", "timeout", "bootstrap", "ready"),
                        Set.of("reconnect"));
                ApiChaos.Settings settings = new ApiChaos.Settings(a.get("bootstrap", KafkaSettings.bootstrap()),
                        java.net.URI.create(a.require("api")), env("VIGIL_API_ADMIN_PASSWORD"), env("VIGIL_PG_URL"),
                        env("VIGIL_PG_USER"), env("VIGIL_PG_PASSWORD"), Path.of(a.require("run")),
                        a.duration("read-for", Duration.ofSeconds(30)), (int) a.longValue("readers", 3),
                        a.duration("timeout", Duration.ofMinutes(5)), Path.of(a.require("report")),
                        a.get("ready", null) == null ? null : Path.of(a.get("ready", null)));
                return (a.flag("reconnect") ? ApiChaos.reconnect(settings) : ApiChaos.run(settings)) ? 0 : 3;
            }
            case "nightly-verify" -> {
                Args a = new Args(rest, Set.of("clean", "rerun", "crash", "faults", "report"), Set.of());
                return NightlyCrashVerify.run(Path.of(a.require("clean")), Path.of(a.require("rerun")),
                        Path.of(a.require("crash")), Path.of(a.require("faults")), Path.of(a.require("report"))) ? 0 : 3;
            }
            case "pan-scan" -> {
                Args a = new Args(rest, Set.of("report", "pans", "worlds", "dirs", "bootstrap", "since-ms", "api",
                        "api-alerts"), Set.of());
                List<Path> pans = new ArrayList<>();
                for (String p : a.get("pans", "").split(",")) {
                    if (!p.isBlank()) {
                        pans.add(Path.of(p));
                    }
                }
                List<WorldConfig> worlds = new ArrayList<>();
                for (String w : a.get("worlds", "").split(",")) {
                    if (!w.isBlank()) {
                        String[] sc = w.split(":");
                        worlds.add(new WorldConfig(Long.parseLong(sc[0]), Integer.parseInt(sc[1]),
                                LocalDate.now(ZoneOffset.UTC), "scan", 1.0));
                    }
                }
                PanScan scan = new PanScan(pans, worlds, tokenizer);
                System.err.println("  scanning every topic ...");
                scan.topics(a.get("bootstrap", KafkaSettings.bootstrap()), a.longValue("since-ms", 0));
                if (!a.get("api", "").isBlank()) {
                    System.err.println("  reading the alert API's answers as an admin ...");
                    scan.api(java.net.URI.create(a.get("api", "")), env("VIGIL_API_ADMIN_PASSWORD"),
                            (int) a.longValue("api-alerts", 500));
                }
                for (String d : a.get("dirs", "").split(",")) {
                    if (!d.isBlank()) {
                        System.err.println("  scanning files under " + d + " ...");
                        scan.files(Path.of(d));
                    }
                }
                return scan.report(Path.of(a.require("report")), "pan-scan") ? 0 : 3;
            }
            default -> throw new Args.UsageException("unknown chaos command " + argv[0]);
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new Args.UsageException(name + " is not set (./vigil chaos sets it)");
        }
        return v;
    }
}
