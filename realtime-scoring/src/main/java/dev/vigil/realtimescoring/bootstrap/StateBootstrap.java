package dev.vigil.realtimescoring.bootstrap;

import dev.vigil.core.feature.CardState;
import dev.vigil.core.feature.CardStateLine;
import dev.vigil.realtimescoring.decide.CardRecord;
import dev.vigil.realtimescoring.decide.ScoringFunction;
import dev.vigil.realtimescoring.job.ScoringJob;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a savepoint that holds, for the scoring operator, every card's state as folded from
 * history, so that a new job decides its first authorizations with the cards' full history.
 *
 * <p>Input: folded card states as {@link CardStateLine}s, in any number of files under one folder
 * (the lake's batch side writes them; Flink and Spark meet only through object storage). Only the
 * file names go into the job graph; each task reads its files.
 *
 * <p>Output: keyed state of operator {@value ScoringJob#SCORE_UID} with {@link ScoringJob#CARD_KEY_GROUPS}
 * key groups, written with the job's own descriptor ({@link ScoringFunction#cardState()}) and each
 * card's expiry timer, so a restored card looks exactly like one the job folded itself. The
 * savepoint holds nothing else: the sources start where they are told (the first authorization
 * after the history), and profiles and the champion come from their compacted topics as on any start.
 */
public final class StateBootstrap {
    private StateBootstrap() {
    }

    /** Runs the bootstrap on {@code env} (a batch job): folded states under {@code states}, savepoint to {@code savepoint}. */
    public static void write(StreamExecutionEnvironment env, String states, String savepoint) throws Exception {
        List<String> files = files(states);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no folded card states under " + states);
        }
        DataStream<String> lines = env.fromData(files).rebalance().flatMap(new ReadLines()).name("read folded card states");
        StateBootstrapTransformation<String> cards = OperatorTransformation.bootstrapWith(lines)
                .setMaxParallelism(ScoringJob.CARD_KEY_GROUPS)
                .keyBy(CardStateLine::cardToken, Types.STRING)
                .transform(new CardStateWriter());
        SavepointWriter.newSavepoint(env, new EmbeddedRocksDBStateBackend(true), ScoringJob.CARD_KEY_GROUPS)
                .withOperator(OperatorIdentifier.forUid(ScoringJob.SCORE_UID), cards)
                .write(savepoint);
        env.execute("bootstrap card state from " + states);
    }

    /** The data files under {@code folder} (Spark's part files; its _SUCCESS and dot files are not data). */
    static List<String> files(String folder) throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem();
        List<String> out = new ArrayList<>();
        FileStatus[] listed = fs.listStatus(root);
        if (listed == null) {
            return out;
        }
        for (FileStatus f : listed) {
            String name = f.getPath().getName();
            if (!f.isDir() && !name.startsWith("_") && !name.startsWith(".")) {
                out.add(f.getPath().toString());
            }
        }
        return out;
    }

    /** Reads one file's lines. */
    static final class ReadLines implements FlatMapFunction<String, String> {
        @Override
        public void flatMap(String file, Collector<String> out) throws IOException {
            Path path = new Path(file);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(path.getFileSystem().open(path), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isEmpty()) {
                        out.collect(line);
                    }
                }
            }
        }
    }

    /** One card: its record as the job keeps it, and its expiry timer. */
    static final class CardStateWriter extends KeyedStateBootstrapFunction<String, String> {
        private transient ValueState<CardRecord> record;

        @Override
        public void open(OpenContext context) {
            record = getRuntimeContext().getState(ScoringFunction.cardState());
        }

        @Override
        public void processElement(String line, Context ctx) throws Exception {
            CardState state = CardStateLine.decode(line).state();
            if (state.isEmpty()) {
                return; // never folded: the job holds nothing for such a card either
            }
            CardRecord rec = new CardRecord();
            rec.card = state;
            rec.expiryTimerMs = ScoringFunction.expiryTimerAt(state.expiresAtMs());
            ctx.timerService().registerEventTimeTimer(rec.expiryTimerMs);
            record.update(rec);
        }
    }
}
