package dev.vigil.batchtraining;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Label;
import dev.vigil.core.feature.Feature;
import dev.vigil.core.token.PanTokenizer;
import dev.vigil.core.token.TokenKey;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.SharedSpark;
import dev.vigil.featurelake.bronze.HistoryLoad;
import dev.vigil.testkit.history.HistoryWriter;
import dev.vigil.tools.replay.ColumnMapping;
import dev.vigil.tools.replay.CsvImporter;
import dev.vigil.batchtraining.model.TrainingConfig;
import dev.vigil.batchtraining.replay.FeatureReplay;
import dev.vigil.batchtraining.run.TrainingRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV with only card, time, amount, terminal and a fraud flag — no MCC, country, location or
 * offset — imported through a mapping file, landed, replayed and trained like any other data set:
 * the features that need the missing fields are missing values, never invented ones.
 */
class SparseCsvIT {

    @Test
    void aCsvWithoutMccOrLocationTrainsTheSameWay(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("sparse.csv");
        Random r = new Random(5);
        StringBuilder b = new StringBuilder("TX;CUSTOMER;WHEN;AMOUNT_CENTS;TERMINAL;FRAUD\n");
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        int tx = 0;
        for (int day = 0; day < 40; day++) {
            for (int card = 0; card < 80; card++) {
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    boolean fraud = r.nextDouble() < 0.03;
                    long cents = fraud ? 20_000 + r.nextInt(200_000) : 500 + r.nextInt(8_000);
                    LocalDateTime when = LocalDate.of(2024, 5, 1).plusDays(day).atStartOfDay()
                            .plusMinutes(fraud ? r.nextInt(300) : 420 + r.nextInt(900));
                    b.append("t").append(tx++).append(';').append("C").append(card).append(';').append(f.format(when))
                            .append(';').append(cents).append(';').append("T-").append(fraud ? 900 + r.nextInt(5) : r.nextInt(60))
                            .append(';').append(fraud ? 1 : 0).append('\n');
                }
            }
        }
        Files.writeString(csv, b);
        Path mapping = tmp.resolve("mapping.properties");
        Files.writeString(mapping, """
                delimiter = ;
                authorization_id = TX
                card = CUSTOMER
                card.kind = opaque
                event_time = WHEN
                event_time.format = yyyy-MM-dd HH:mm:ss
                event_time.zone = UTC
                amount = AMOUNT_CENTS
                amount.unit = minor
                currency.value = EUR
                merchant_id = TERMINAL
                label = FRAUD
                label.delay_median_days = 3
                """);
        Path history = tmp.resolve("history");
        try (HistoryWriter writer = new HistoryWriter(history)) {
            CsvImporter.Result result = new CsvImporter(ColumnMapping.load(mapping), new PanTokenizer(TokenKey.development()), 1)
                    .run(csv, new CsvImporter.Sink() {
                        @Override
                        public void authorization(Authorization a, boolean fraud) throws IOException {
                            writer.authorization(a, fraud ? "FRAUD" : null);
                        }

                        @Override
                        public void label(Label label) {
                            writer.label(label);
                        }
                    }, rejected -> { }, null);
            assertEquals(tx, result.imported());
        }
        var spark = SharedSpark.get();
        Lake lake = new Lake(FileLocations.of(tmp.resolve("lake")));
        HistoryLoad.loadAll(spark, lake, history);
        LocalDate d = LocalDate.of(2024, 6, 9);

        Row any = FeatureReplay.replay(spark, lake, d, 2).first();
        List<Float> v = any.getList(any.fieldIndex("features"));
        for (Feature missing : List.of(Feature.MCC_CODE, Feature.NEW_COUNTRY, Feature.KM_FROM_LAST_PRESENT)) {
            assertTrue(Float.isNaN(v.get(missing.ordinal())), missing + " is missing, not invented");
        }

        TrainingRun.Outcome out = new TrainingRun(spark, new TrainingRun.Options(lake, FileLocations.of(tmp.resolve("store")),
                "sparse", "127.0.0.1:1", false, tmp.resolve("runs"), null, TrainingConfig.load(null, Map.of(
                "window.train_days", "20", "window.delay_days", "5", "window.holdout_days", "10", "xgb.num_round", "30"))),
                s -> { }).run(d);
        assertTrue(out.metrics().get("roc_auc") > 0.6, "learnable from amount, hour and terminal: " + out.metrics());
        assertTrue(out.modelFolder() != null && !out.promoted(), "published, not promoted without Kafka");
    }
}
