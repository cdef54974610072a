package dev.vigil.loadtest.chaos;

import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.topic.Topic;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.Reports;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The load a fault is injected under: live traffic of a world no earlier run used (a fresh seed, so
 * every card starts with empty state and a straight replay of the fold predicts its counters),
 * optionally with hostile records spread evenly through it. Probes first (from the probe world, before
 * the recorded start), so the traffic starts against a job that is consuming. Writes
 * {@code traffic.json} (start time, world, counts) for the verifier, and the salted hashes of the
 * world's PANs to {@code pans.json} for the PAN scanner.
 */
public final class ChaosTraffic {
    private ChaosTraffic() {
    }

    /**
     * @param seed the world's seed, or null for a fresh one; given, the cards are those of the history
     *             generated with the same seed and card count (the bootstrap scenario's: a job that
     *             starts with their folded history)
     */
    public record Settings(String bootstrap, double rate, Duration duration, int cards, long hostile, Path out,
                           Duration readyTimeout, Long seed) {
    }

    public static Map<String, Object> run(Settings s, PanTokenizer tokenizer) throws IOException, InterruptedException {
        Files.createDirectories(s.out());
        String topic = Topic.AUTHORIZATIONS.topicName();
        long seed = s.seed() != null ? s.seed() : System.currentTimeMillis();
        String tag = "cx" + Long.toString(seed / 1000, 36);
        InputPans pans = InputPans.withFreshSalt();
        WorldConfig config = new WorldConfig(seed, s.cards(), LocalDate.now(ZoneOffset.UTC), tag, 4.0);
        World world = new World(config, tokenizer, pans);
        World probes = new World(WorldConfig.probes(), tokenizer, pans);
        pans.write(s.out().resolve("pans.json"));

        var settings = new LatencyHarness.Settings("flink", s.bootstrap(), topic, Topic.DECISIONS.topicName(), 0, Duration.ZERO,
                Duration.ZERO, LoadScenario.STEADY, 0, Duration.ZERO);
        Duration ready = LatencyHarness.awaitEngine(settings, LiveTraffic.asMessages(new LiveTraffic(new Simulator(probes))),
                s.readyTimeout(), System.err::println);
        System.err.printf("The scoring job answers (after %.1f s)%n", ready.toMillis() / 1000.0);

        LiveTraffic live = new LiveTraffic(new Simulator(world));
        Iterator<OpenLoopSender.Message> valid = LiveTraffic.asMessages(live);
        // Hostile records are deformed copies of authorizations of another, unsent world: none of them
        // is a duplicate id or a sequence gap of a card the verifier replays.
        LiveTraffic templates = new LiveTraffic(new Simulator(new World(
                new WorldConfig(seed + 1, 200, LocalDate.now(ZoneOffset.UTC), tag + "h", 0.0), tokenizer)));
        HostileRecords hostile = new HostileRecords(seed, () -> templates.next().authorization());
        long slots = (long) (s.rate() * s.duration().toNanos() / 1e9);
        long hostileCount = Math.min(s.hostile(), slots);
        long[] hostileSent = new long[1];
        Iterator<OpenLoopSender.Message> mixed = new Iterator<>() {
            long i;

            public boolean hasNext() {
                return true;
            }

            public OpenLoopSender.Message next() {
                long slot = i++;
                boolean bad = hostileCount > 0 && (slot + 1) * hostileCount / slots > slot * hostileCount / slots;
                if (bad) {
                    hostileSent[0]++;
                    return new OpenLoopSender.Message("hostile-" + slot, "hostile", hostile.next());
                }
                return valid.next();
            }
        };

        long sinceMs = System.currentTimeMillis();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("since_ms", sinceMs);
        report.put("seed", seed);
        report.put("cards", s.cards());
        report.put("id_tag", tag);
        report.put("rate", s.rate());
        report.put("duration_s", s.duration().toMillis() / 1000.0);
        Files.writeString(s.out().resolve("traffic.json"), Reports.json(report));
        System.err.printf("Chaos traffic: %,.0f/s for %s, world of %,d fresh cards (ids %s-*)%s%n", s.rate(), s.duration(),
                s.cards(), tag, hostileCount > 0 ? String.format(", %,d hostile records mixed in", hostileCount) : "");
        OpenLoopSender.Report r;
        try (Producer<String, byte[]> producer = new KafkaProducer<>(patientProducer(s.bootstrap()))) {
            long[] seconds = new long[1];
            // Its progress every tenth second: the suite's output is the build's.
            r = OpenLoopSender.run(producer, topic, mixed, s.rate(), s.duration(), slots, line -> {
                if (++seconds[0] % 10 == 0) {
                    System.err.println(line);
                }
            });
        }
        report.put("sent", r.sent());
        report.put("hostile_sent", hostileSent[0]);
        report.put("failed_sends", r.failed());
        report.put("achieved_rate", r.achievedRate());
        report.put("late_sends", r.lateSends());
        report.put("max_lag_ms", r.maxLagMs());
        report.put("ended_ms", System.currentTimeMillis());
        Files.writeString(s.out().resolve("traffic.json"), Reports.json(report));
        System.err.println("  " + r);
        return report;
    }

    /**
     * The ingress's producer as a payments team would run it: idempotent, and patient enough to ride
     * out a broker restart (sends wait in its buffer and are retried, in order, for up to 5 minutes).
     */
    static Properties patientProducer(String bootstrap) {
        Properties p = KafkaSettings.producer(bootstrap);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        return p;
    }
}
