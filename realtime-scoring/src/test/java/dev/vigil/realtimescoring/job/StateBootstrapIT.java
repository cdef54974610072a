package dev.vigil.realtimescoring.job;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.feature.CardFold;
import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateLine;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.kafka.RealKafka;
import dev.vigil.testkit.world.Generated;
import dev.vigil.testkit.world.Simulator;
import dev.vigil.testkit.world.World;
import dev.vigil.testkit.world.WorldConfig;
import dev.vigil.realtimescoring.bootstrap.BootstrapMain;
import dev.vigil.realtimescoring.bootstrap.StateBootstrap;
import dev.vigil.realtimescoring.decide.CardRecord;
import dev.vigil.realtimescoring.decide.ScoringFunction;
import dev.vigil.realtimescoring.io.KafkaIo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The bootstrapped savepoint holds every card's folded state byte for byte with its expiry timer, and
 * a job started from it decides as if it had folded the history itself: the savepoint is written
 * (and read back) by the State Processor API (2.2.0) and restored by the 2.2.1 runtime.
 */
class StateBootstrapIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void aJobStartedFromTheBootstrapCountsEveryCardOnFromItsHistory(@TempDir Path dir) throws Exception {
        Simulator sim = new Simulator(new World(new WorldConfig(5, 300, LocalDate.of(2024, 4, 1), "bs", 5.0),
                new PanTokenizer(TokenKey.development())));
        List<Authorization> history = new ArrayList<>(), live = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
            sim.next().authorizations().stream().map(Generated::authorization).forEach(d < 3 ? history::add : live::add);
        }
        // The history folded by core's fold, in arrival order, as the lake's batch side will write it:
        // two part files (and a marker that is not data), one line per card.
        Map<String, CardState> folded = new LinkedHashMap<>();
        float[] vector = FeatureSet.newVector();
        for (Authorization a : history) {
            CardFold.step(folded.computeIfAbsent(a.cardToken(), k -> new CardState()), a, null, null, vector);
        }
        Path states = Files.createDirectories(dir.resolve("card states"));
        List<String> lines = folded.entrySet().stream()
                .map(e -> new CardStateLine(e.getKey(), e.getValue()).encode()).toList();
        Files.write(states.resolve("part-00000"), lines.subList(0, lines.size() / 2), StandardCharsets.UTF_8);
        Files.write(states.resolve("part-00001"), lines.subList(lines.size() / 2, lines.size()), StandardCharsets.UTF_8);
        Files.writeString(states.resolve("_SUCCESS"), "");

        String savepoint = FileLocations.of(dir.resolve("bootstrap savepoint"));
        StreamExecutionEnvironment batch = StreamExecutionEnvironment.getExecutionEnvironment();
        batch.setParallelism(2);
        StateBootstrap.write(batch, FileLocations.of(states), savepoint);
        try (Stream<Path> written = Files.list(dir.resolve("bootstrap savepoint"))) {
            assertFalse(written.toList().isEmpty(), "a savepoint was written");
        }
        // Read back as the job will: every card's state byte for byte, and its one expiry timer.
        assertHoldsExactly(folded, savepoint);

        // Only the live day goes to Kafka: the history reaches the job through the savepoint alone.
        ScoringJobIT.Topics t = ScoringJobIT.Topics.create();
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(RealKafka.bootstrap()))) {
            ScoringJobIT.send(p, t.authorizations(), live);
        }
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.state-recovery.path", savepoint);
        JobClient job = ScoringJobIT.start(t, "bootstrap-" + System.nanoTime(), conf, KafkaIo.StartFrom.EARLIEST, null);
        try {
            Map<String, List<Decision>> decided = ScoringJobIT.decisionsById(t.decisions(), live.size());
            Map<String, CardState> replay = new LinkedHashMap<>(folded);
            for (Authorization a : live) {
                CardState s = replay.computeIfAbsent(a.cardToken(), k -> new CardState());
                CardFold.step(s, a, null, null, vector);
                List<Decision> copies = decided.get(a.authorizationId());
                assertNotNull(copies, "decided: " + a.authorizationId());
                for (Decision d : copies) {
                    assertEquals(s.authCount(), d.cardAuthCount(), "history + live for the card of " + a.authorizationId());
                    assertEquals(a.cardSeq(), d.cardLastSeq());
                }
            }
            assertEquals(live.size(), decided.size(), "one decision per live authorization");
        } finally {
            ScoringJobIT.cancelAndWait(job);
        }
    }

    /**
     * A lake on the S3 store: the folded states are read through Flink's own S3 file system (as
     * {@code ./vigil bootstrap} sets it up from the {@code VIGIL_S3_*} variables) and every card is in
     * the savepoint, byte for byte, with its expiry timer.
     */
    @Test
    void foldedStatesOnTheS3StoreBecomeTheSavepoint(@TempDir Path dir) throws Exception {
        Configuration s3 = BootstrapMain.s3FromEnvironment(System.getenv());
        if (s3.toMap().isEmpty()) {
            throw new IllegalStateException("no S3 store configured: run the tests with ./vigil test, or ./vigil s3 start"
                    + " and export VIGIL_S3_ENDPOINT, VIGIL_S3_ACCESS_KEY, VIGIL_S3_SECRET_KEY");
        }
        FileSystem.initialize(s3, null);
        try {
            Simulator sim = new Simulator(new World(new WorldConfig(6, 100, LocalDate.of(2024, 4, 1), "bs3", 5.0),
                    new PanTokenizer(TokenKey.development())));
            Map<String, CardState> folded = new LinkedHashMap<>();
            float[] vector = FeatureSet.newVector();
            for (int d = 0; d < 2; d++) {
                for (Generated g : sim.next().authorizations()) {
                    Authorization a = g.authorization();
                    CardFold.step(folded.computeIfAbsent(a.cardToken(), k -> new CardState()), a, null, null, vector);
                }
            }
            String prefix = "s3a://" + System.getenv().getOrDefault("VIGIL_S3_BUCKET", "vigil") + "/bootstrap-it-"
                    + java.util.UUID.randomUUID();
            String states = prefix + "/card_states/date=2024-04-02";
            org.apache.flink.core.fs.Path part = new org.apache.flink.core.fs.Path(states + "/part-00000");
            try (var out = part.getFileSystem().create(part, FileSystem.WriteMode.NO_OVERWRITE)) {
                for (Map.Entry<String, CardState> e : folded.entrySet()) {
                    out.write((new CardStateLine(e.getKey(), e.getValue()).encode() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }

            String savepoint = FileLocations.of(dir.resolve("savepoint"));
            StreamExecutionEnvironment batch = StreamExecutionEnvironment.getExecutionEnvironment(s3);
            batch.setParallelism(2);
            StateBootstrap.write(batch, states, savepoint);

            assertHoldsExactly(folded, savepoint);
            org.apache.flink.core.fs.Path written = new org.apache.flink.core.fs.Path(prefix);
            written.getFileSystem().delete(written, true);
        } finally {
            FileSystem.initialize(new Configuration(), null);
        }
    }

    /**
     * The savepoint read back as the job will: one record per card of {@code folded}, its state byte for
     * byte under core's codec, and its one expiry timer, both in the record and registered.
     */
    private static void assertHoldsExactly(Map<String, CardState> folded, String savepoint) throws Exception {
        StreamExecutionEnvironment read = StreamExecutionEnvironment.getExecutionEnvironment();
        read.setParallelism(2);
        Map<String, String> restored = new HashMap<>();
        try (CloseableIterator<String> cards = SavepointReader.read(read, savepoint, new EmbeddedRocksDBStateBackend())
                .readKeyedState(OperatorIdentifier.forUid(ScoringJob.SCORE_UID), new CardReader(), Types.STRING, Types.STRING)
                .executeAndCollect()) {
            cards.forEachRemaining(line -> restored.put(CardStateLine.cardToken(line), line));
        }
        assertEquals(folded.keySet(), restored.keySet(), "one record per card");
        for (Map.Entry<String, CardState> e : folded.entrySet()) {
            long timer = ScoringFunction.expiryTimerAt(e.getValue().expiresAtMs());
            assertEquals(new CardStateLine(e.getKey(), e.getValue()).encode() + "\t" + timer + "\t[" + timer + "]",
                    restored.get(e.getKey()));
        }
    }

    /** A card as the savepoint holds it: token, state bytes, the record's timer and the registered ones. */
    static final class CardReader extends KeyedStateReaderFunction<String, String> {
        private transient ValueState<CardRecord> record;

        @Override
        public void open(OpenContext context) {
            record = getRuntimeContext().getState(ScoringFunction.cardState());
        }

        @Override
        public void readKey(String card, Context ctx, Collector<String> out) throws Exception {
            CardRecord r = record.value();
            out.collect(new CardStateLine(card, r.card).encode() + "\t" + r.expiryTimerMs + "\t"
                    + new java.util.TreeSet<>(ctx.registeredEventTimeTimers()));
        }
    }
}
