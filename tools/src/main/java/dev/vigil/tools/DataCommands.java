package dev.vigil.tools;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.topic.Topic;
import dev.vigil.testkit.history.HistorySender;
import dev.vigil.testkit.history.HistoryWriter;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.kafka.TopicSetup;
import dev.vigil.testkit.measure.DecisionLatency;
import dev.vigil.tools.replay.ColumnMapping;
import dev.vigil.tools.replay.CsvImporter;
import dev.vigil.testkit.stream.LiveTraffic;
import dev.vigil.testkit.stream.OpenLoopSender;
import dev.vigil.testkit.harness.LatencyHarness;
import dev.vigil.testkit.harness.LoadScenario;
import dev.vigil.testkit.world.DayTraffic;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Scenario;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.Tokenizers;
import dev.vigil.testkit.world.WorldConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** The data tools: topics, a generated world's history or live stream, imported history, history sent to Kafka. */
public final class DataCommands {
    private DataCommands() {
    }

    @Command(name = "topics", description = "create the topics that are missing, with their settings")
    static final class Topics implements Callable<Integer> {
        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Override
        public Integer call() throws Exception {
            System.out.println("Topics on " + bootstrap + ":");
            TopicSetup.ensure(bootstrap).forEach(line -> System.out.println("  " + line));
            return 0;
        }
    }

    @Command(name = "generate", description = "a generated world's history as files (authorizations, labels, truth)")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--cards")
        int cards = 10_000;

        @Option(names = "--days")
        int days = 30;

        @Option(names = "--out", required = true)
        Path out;

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--start", description = "the first day; default --days before today (UTC)")
        LocalDate start;

        @Option(names = "--fraud-scale")
        double fraudScale = 1.0;

        @Option(names = "--tag", description = "the authorization ids' prefix; default from the seed")
        String tag;

        @Override
        public Integer call() throws IOException {
            LocalDate first = start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(days);
            WorldConfig config = new WorldConfig(seed, cards, first, tag != null ? tag : "g" + Long.toString(Math.abs(seed), 36),
                    fraudScale);
            if (Files.exists(out.resolve("_SUCCESS")) || Files.exists(out.resolve(HistoryWriter.AUTHORIZATIONS))) {
                throw new IllegalArgumentException(out + " already holds history; choose an empty folder");
            }
            long t0 = System.nanoTime();
            World world = new World(config, Tokenizers.fromEnvironment());
            Simulator sim = new Simulator(world);
            System.err.printf("Generating %,d cards x %d days from %s (seed %d, %,d merchants) into %s%n", cards, days,
                    first, seed, world.merchantCount(), out);
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
                        seed, cards, days, first, world.merchantCount(), writer.authorizations(), writer.fraud(),
                        writer.labels(), config.idTag(), config.fraudScale()));
            }
            return 0;
        }
    }

    @Command(name = "stream", description = "a generated world's authorizations to Kafka, open loop at a rate")
    static final class Stream implements Callable<Integer> {
        @Option(names = "--rate")
        double rate = 1000;

        @Option(names = "--duration", converter = CommandLines.DurationText.class)
        Duration duration = Duration.ofSeconds(60);

        @Option(names = "--cards")
        int cards = 10_000;

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--start", description = "the world's first day; default today (UTC)")
        LocalDate start;

        @Option(names = "--topic")
        String topic = Topic.AUTHORIZATIONS.topicName();

        @Option(names = "--tag", description = "the authorization ids' prefix; default from the clock")
        String tag;

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--fraud-scale")
        double fraudScale = 1.0;

        @Option(names = "--max", converter = CommandLines.Count.class, description = "stop after this many")
        long max = Long.MAX_VALUE;

        @Option(names = "--measure", description = "also wait for each authorization's decision and report the latency")
        boolean measure;

        @Option(names = "--warmup", converter = CommandLines.DurationText.class, description = "with --measure: not measured")
        Duration warmup = Duration.ofSeconds(10);

        @Option(names = "--drain", converter = CommandLines.DurationText.class, description = "with --measure: wait this long for the last decisions")
        Duration drain = Duration.ofSeconds(30);

        /**
         * The fraudulent authorizations' ids and scenarios (what only a generated world knows), so a summary
         * can say what share of the alerts were fraud and how much fraud was alerted.
         */
        @Option(names = "--truth")
        Path truth;

        @Override
        public Integer call() throws InterruptedException {
            String ids = tag != null ? tag : "t" + Long.toString(System.currentTimeMillis() / 1000, 36);
            WorldConfig config = new WorldConfig(seed, cards, start != null ? start : LocalDate.now(ZoneOffset.UTC), ids,
                    fraudScale);
            Map<String, Scenario> fraud = new LinkedHashMap<>();
            Iterator<OpenLoopSender.Message> source = LiveTraffic.asMessages(
                    LiveTraffic.notingFraud(new LiveTraffic(new Simulator(new World(config, Tokenizers.fromEnvironment()))), fraud));
            System.err.printf("Streaming to %s on %s at %,.0f/s for %s (world of %,d cards, ids %s-*)%n", topic, bootstrap,
                    rate, duration, config.cards(), ids);
            DecisionLatency latency = measure ? new DecisionLatency(bootstrap, Topic.DECISIONS.topicName(),
                    DecisionLatency.nowMicros() + warmup.toNanos() / 1000) : null;
            try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap))) {
                OpenLoopSender.Report report = OpenLoopSender.run(producer, topic, source, rate, duration, max,
                        System.err::println, latency == null ? null : (m, scheduled) -> latency.expect(m.id(), scheduled));
                System.out.println(report);
                if (truth != null) {
                    writeTruth(truth, fraud);
                }
                if (latency != null) {
                    System.err.println("Waiting up to " + drain.toSeconds() + " s for the last decisions ...");
                    latency.drain(drain);
                    latency.close();
                    System.out.println(latency.report());
                }
                return report.failed() > 0 || (latency != null && latency.missing() > 0) ? 1 : 0;
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
    }

    /**
     * History files to the labels and authorizations topics as fast as the broker takes them, then waits
     * until the scoring job decided every authorization: a job that starts with empty card state folds the
     * recent past first. {@code --labels-only}: the labels alone, for a job whose card state was
     * bootstrapped from the lake ({@code ./vigil bootstrap}) but whose merchant risk is read from the
     * labels topic.
     */
    @Command(name = "send-history", description = "history files to Kafka, then wait for every decision")
    static final class SendHistory implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "a folder written by ./vigil generate or ./vigil replay")
        Path dir;

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--from", description = "the first day sent; default the history's first")
        LocalDate from;

        @Option(names = "--timeout", converter = CommandLines.DurationText.class,
                description = "how long to wait for the decisions; default 5m")
        Duration timeout;

        @Option(names = "--labels-only", description = "every label, waiting for nothing")
        boolean labelsOnly;

        @Option(names = "--ready-timeout", converter = CommandLines.DurationText.class)
        Duration readyTimeout = Duration.ofMinutes(3);

        @Override
        public Integer call() throws Exception {
            if (labelsOnly) {
                if (from != null || timeout != null) {
                    throw new IllegalArgumentException("--labels-only sends every label and waits for nothing: no --from,"
                            + " no --timeout");
                }
                sendLabels();
                return 0;
            }
            List<LocalDate> dates = HistorySender.dates(dir, from);
            if (dates.isEmpty()) {
                throw new IllegalArgumentException(dir + " holds no authorizations from the date asked");
            }
            String topic = Topic.AUTHORIZATIONS.topicName();
            var settings = new LatencyHarness.Settings("flink", bootstrap, topic, Topic.DECISIONS.topicName(), 0,
                    Duration.ZERO, Duration.ZERO, LoadScenario.STEADY, 0, Duration.ZERO);
            Duration ready = LatencyHarness.awaitEngine(settings,
                    LiveTraffic.asMessages(new LiveTraffic(new Simulator(new World(WorldConfig.probes(), Tokenizers.fromEnvironment())))),
                    readyTimeout, System.err::println);
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
            long deadline = System.nanoTime() + (timeout != null ? timeout : Duration.ofMinutes(5)).toNanos();
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
            return decided.missing() > 0 ? 1 : 0;
        }

        /**
         * Every label of the history to the labels topic, each send confirmed. The job reads that topic from
         * its start, so it need not be running yet; a label the broker did not take is an error.
         */
        private void sendLabels() throws IOException {
            AtomicLong failed = new AtomicLong();
            long labels;
            try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.bulkProducer(bootstrap))) {
                labels = HistorySender.readLabels(dir, line -> producer.send(
                        new ProducerRecord<>(Topic.LABELS.topicName(), line.cardToken(), line.value()),
                        (meta, e) -> failed.addAndGet(e == null ? 0 : 1)));
                producer.flush();
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + labels + " labels were not sent to "
                        + Topic.LABELS.topicName());
            }
            System.out.printf("Labels: %,d of the history sent to %s%n", labels, Topic.LABELS.topicName());
        }
    }

    @Command(name = "replay", description = "a third-party CSV as history files (and optionally to Kafka)")
    static final class Replay implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the CSV (.csv, .txt, optionally .gz)")
        Path file;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Mapping mapping;

        static final class Mapping {
            @Option(names = "--format", description = "a built-in column mapping (sparkov)")
            String format;

            @Option(names = "--mapping", description = "a column mapping file")
            Path file;
        }

        @Option(names = "--out", description = "default <vigil.home>/history/<the file's name>")
        Path out;

        @Option(names = "--seed")
        long seed = 42;

        @Option(names = "--bootstrap")
        String bootstrap = KafkaSettings.bootstrap();

        @Option(names = "--to-kafka", description = "also send the authorizations and labels to Kafka")
        boolean toKafka;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file);
            }
            ColumnMapping columns = mapping.file != null ? ColumnMapping.load(mapping.file) : ColumnMapping.builtIn(mapping.format);
            String stem = file.getFileName().toString().replaceAll("\\.(csv|txt)(\\.gz)?$", "");
            Path into = out != null ? out : Path.of(System.getProperty("vigil.home", ".vigil"), "history", stem);
            if (Files.exists(into.resolve(HistoryWriter.AUTHORIZATIONS))) {
                throw new IllegalArgumentException(into + " already holds history; remove it or choose --out");
            }
            long t0 = System.nanoTime();
            CsvImporter importer = new CsvImporter(columns, Tokenizers.fromEnvironment(), seed);
            Path rejects = into.resolve("rejects.txt");
            Files.createDirectories(into);
            AtomicLong shown = new AtomicLong();
            System.err.printf("Importing %s into %s%s%n", file, into, toKafka ? " and Kafka at " + bootstrap : "");
            CsvImporter.Result result;
            try (HistoryWriter writer = new HistoryWriter(into);
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
            System.out.println("History: " + into.toAbsolutePath() + (toKafka ? "; also sent to Kafka topics "
                    + Topic.AUTHORIZATIONS.topicName() + " and " + Topic.LABELS.topicName() : ""));
            return 0;
        }
    }
}
