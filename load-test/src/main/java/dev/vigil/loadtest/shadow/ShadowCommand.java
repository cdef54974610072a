package dev.vigil.loadtest.shadow;

import dev.vigil.core.topic.Topic;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.history.HistorySender;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.tools.CommandLines;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code shadow prepare}: the shadow run's topics, and the instant both engines start reading at.
 * {@code shadow run (--rate R --duration D | --history DIR) --report DIR}: the authorizations, then both
 * engines' decisions and feature logs, and the parity report. {@code ./vigil shadow} starts and stops
 * the engines in between; a run not at parity exits 3.
 */
@Command(name = "shadow", subcommands = {ShadowCommand.Prepare.class, ShadowCommand.Run.class},
        description = "the parallel run: Flink and a Spark scorer decide the same authorizations; their parity")
public final class ShadowCommand {

    @Command(name = "prepare", description = "the shadow topics; prints 'at EPOCH_MS' and each topic as 'NAME TOPIC'")
    static final class Prepare implements Callable<Integer> {
        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Override
        public Integer call() throws Exception {
            ShadowTopics t = ShadowTopics.DEFAULT;
            t.ensure(bootstrap);
            System.out.println("at " + System.currentTimeMillis());
            System.out.println("flink-decisions " + t.flinkDecisions());
            System.out.println("spark-decisions " + t.sparkDecisions());
            System.out.println("flink-features " + t.flinkFeatures());
            System.out.println("spark-features " + t.sparkFeatures());
            System.out.println("flink-alerts " + t.flinkAlerts());
            System.out.println("flink-late " + t.flinkLate());
            System.out.println("flink-watches " + t.flinkWatches());
            return 0;
        }
    }

    @Command(name = "run", description = "the traffic, then both engines' decisions compared; report.json + report.html")
    static final class Run implements Callable<Integer> {
        @Option(names = "--history", description = "send this history (generate / replay output): labels, then authorizations")
        Path history;

        @Option(names = "--from", description = "with --history: the first day sent")
        LocalDate from;

        @Option(names = "--rate", description = "generated traffic: authorizations per second")
        double rate = 200;

        @Option(names = "--duration", converter = CommandLines.DurationText.class)
        Duration duration = Duration.ofSeconds(60);

        @Option(names = "--cards")
        int cards = 2_000;

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--wait", converter = CommandLines.DurationText.class,
                description = "how long after the last send both engines have to decide everything")
        Duration wait = Duration.ofMinutes(5);

        @Option(names = "--report", required = true)
        Path report;

        @Option(names = "--flink-engine", description = "how the report names the Flink side")
        String flinkEngine = "Flink job";

        @Option(names = "--spark-engine", description = "how the report names the Spark side")
        String sparkEngine = "Spark scorer";

        @Option(names = "--command", description = "the command line the report names")
        String command = "shadow run";

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--ready-timeout", converter = CommandLines.DurationText.class,
                description = "how long each engine has to answer a probe before the traffic starts")
        Duration readyTimeout = Duration.ofMinutes(3);

        @Override
        public Integer call() throws Exception {
            awaitEngines();
            List<String> sent = new ArrayList<>();
            Set<String> expected = new HashSet<>();
            ShadowParity.Parity parity;
            ShadowReport.Run run;
            try (ShadowCollector c = new ShadowCollector(bootstrap, ShadowTopics.DEFAULT, "vigil-shadow-" + System.currentTimeMillis(), expected)) {
                String traffic = history != null ? send(sent) : generate(sent);
                expected.addAll(sent);
                System.err.printf("Sent %,d authorizations (%s); waiting up to %s for both engines' decisions%n",
                        sent.size(), traffic, wait);
                c.collect(wait, System.err::println);
                parity = ShadowParity.compare(sent, c.flink(), c.spark());
                run = new ShadowReport.Run(traffic, flinkEngine, sparkEngine, command, c.unreadable(), c.firstUnreadable());
            }
            ShadowReport.write(report, parity, run);
            System.out.printf("Shadow run: %,d sent; %,d decided by both; missing Flink %,d, Spark %,d; action mismatches %,d;"
                            + " counter mismatches %,d (%,d cards); max score |Δ| %.3g; features differing %s; %s%n",
                    parity.sent(), parity.decidedByBoth(), parity.missingFlink(), parity.missingSpark(),
                    parity.actionMismatches(), parity.counterMismatches(), parity.cardsWithCounterMismatch(),
                    parity.maxDelta(), parity.featureDiffs().isEmpty() ? "none" : parity.featureDiffs(),
                    parity.atParity() ? "AT PARITY" : "NOT AT PARITY: findings to explain");
            System.out.println("Report: " + report.resolve("report.html").toAbsolutePath());
            return parity.atParity() && run.unreadable() == 0 ? 0 : 3;
        }

        /**
         * Each engine decides a probe (a card of its own, left out of the comparison) before the traffic
         * starts. Both read from the run's start whenever they come up, so this is not for completeness:
         * a job that has just started is still reading the profile topics, and an authorization decided
         * before its card's profile arrived would be a finding about the start, not about the engines.
         */
        private void awaitEngines() throws Exception {
            // One probe stream for both: a second world of probes would resend ids the first engine has folded.
            Iterator<OpenLoopSender.Message> probes = LiveTraffic.asMessages(new LiveTraffic(new Simulator(
                    new World(WorldConfig.probes(), Tokenizers.fromEnvironment()))));
            for (String decisions : List.of(ShadowTopics.DEFAULT.flinkDecisions(), ShadowTopics.DEFAULT.sparkDecisions())) {
                var settings = new LatencyHarness.Settings(decisions, bootstrap, Topic.AUTHORIZATIONS.topicName(), decisions,
                        0, Duration.ZERO, Duration.ZERO, LoadScenario.STEADY, 0, Duration.ZERO);
                Duration ready = LatencyHarness.awaitEngine(settings, probes, readyTimeout, System.err::println);
                System.err.printf("%s answers (after %.1f s)%n", decisions, ready.toMillis() / 1000.0);
            }
        }

        /** Generated live traffic at {@code rate}, ids noted as sent. */
        private String generate(List<String> sent) {
            String tag = "sh" + Long.toString(System.currentTimeMillis() / 1000, 36);
            Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(
                    new WorldConfig(seed, cards, LocalDate.now(ZoneOffset.UTC), tag, 1.0), Tokenizers.fromEnvironment()))));
            OpenLoopSender.Report r;
            try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap))) {
                r = OpenLoopSender.run(producer, Topic.AUTHORIZATIONS.topicName(), source, rate, duration, Long.MAX_VALUE,
                        null, (m, scheduled) -> sent.add(m.id()));
            }
            if (r.failed() > 0) {
                throw new IllegalStateException(r.failed() + " authorizations were not sent");
            }
            return String.format(java.util.Locale.ROOT, "generated, %,.0f/s for %d s over %,d cards (seed %d)", rate,
                    duration.toSeconds(), cards, seed);
        }

        /** The history's labels, then its authorizations, each send confirmed; ids noted as sent. */
        private String send(List<String> sent) throws Exception {
            List<LocalDate> dates = HistorySender.dates(history, from);
            if (dates.isEmpty()) {
                throw new IllegalArgumentException(history + " holds no authorizations from the date asked");
            }
            AtomicLong failed = new AtomicLong();
            long labels;
            try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap))) {
                labels = HistorySender.readLabels(history, line -> producer.send(
                        new ProducerRecord<>(Topic.LABELS.topicName(), line.cardToken(), line.value()),
                        (meta, e) -> failed.addAndGet(e == null ? 0 : 1)));
                HistorySender.read(history, dates, line -> {
                    sent.add(line.authorizationId());
                    producer.send(new ProducerRecord<>(Topic.AUTHORIZATIONS.topicName(), line.cardToken(), line.value()),
                            (meta, e) -> failed.addAndGet(e == null ? 0 : 1));
                });
                producer.flush();
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " records of the history were not sent");
            }
            return String.format("history %s, %s .. %s (%,d labels first)", history.getFileName(), dates.get(0),
                    dates.get(dates.size() - 1), labels);
        }
    }
}
