package dev.vigil.batchtraining.run;

import dev.vigil.core.config.FileLocations;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.model.ModelRejected;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.TreeModel;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.bronze.BronzeStream;
import dev.vigil.batchtraining.eval.Charts;
import dev.vigil.batchtraining.eval.Metrics;
import dev.vigil.batchtraining.eval.Report;
import dev.vigil.batchtraining.model.Models;
import dev.vigil.batchtraining.model.Tuning;
import dev.vigil.batchtraining.model.TrainingConfig;
import dev.vigil.batchtraining.release.Champions;
import dev.vigil.batchtraining.release.HadoopBlobStore;
import dev.vigil.batchtraining.replay.FeatureReplay;
import dev.vigil.batchtraining.set.TrainingSet;
import dev.vigil.batchtraining.set.Windows;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;

/**
 * One training run at logical date D for a model line: replay → labelled train and holdout sets →
 * XGBoost and the baseline → holdout metrics (and the champion's, on the same rows) → thresholds →
 * gate → publish and promote. Writes the report, charts, metrics and the holdout predictions to
 * the run folder whatever the gate says.
 */
public final class TrainingRun {

    /** Where things go and whether Kafka is used to find and promote the champion. */
    public record Options(Lake lake, String storeUri, String line, String bootstrap, boolean useKafka,
                          Path outDir, Path truthDir, TrainingConfig config) {
    }

    /** What the run decided. */
    public record Outcome(String version, boolean promoted, String gateReason, Map<String, Double> metrics,
                          Map<String, Double> baselineMetrics, Map<String, Double> championMetrics, Path report,
                          Path predictions, String modelFolder, Map<String, Long> rows, double trainSeconds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SparkSession spark;
    private final Options o;
    private final Consumer<String> progress;

    public TrainingRun(SparkSession spark, Options options, Consumer<String> progress) {
        this.spark = spark;
        this.o = options;
        this.progress = progress;
    }

    public Outcome run(LocalDate d) throws Exception {
        TrainingConfig c = o.config();
        Windows w = windows(d, c);
        String version = d + "-" + DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path out = o.outDir().resolve(o.line()).resolve(version);
        Files.createDirectories(out);
        progress.accept("windows: " + w);

        progress.accept("replaying bronze through the fold (authorizations up to " + d + ")");
        Dataset<Row> replayed = masked(FeatureReplay.replay(spark, o.lake(), d, c.integer("profile.lag_days")),
                c.list("features.ignored")).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> train = TrainingSet.labelled(replayed, TrainingSet.labelsKnownAt(spark, o.lake(), w.trainLabelsKnownAt()),
                w.trainFrom(), w.trainTo()).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> holdout = TrainingSet.labelled(replayed, TrainingSet.labelsKnownAt(spark, o.lake(), w.holdoutLabelsKnownAt()),
                w.holdoutFrom(), w.holdoutTo()).persist(StorageLevel.MEMORY_AND_DISK());
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("replayed", replayed.count());
        rows.put("train", train.count());
        rows.put("train_fraud", train.filter(col("label").equalTo(1.0)).count());
        rows.put("holdout", holdout.count());
        rows.put("holdout_fraud", holdout.filter(col("label").equalTo(1.0)).count());
        rows.put("host_declined_left_out", replayed.filter(col("declined_by_host").and(
                col("event_date").between(w.trainFrom(), w.holdoutTo()))).count());
        progress.accept("rows: " + rows);
        if (rows.get("train_fraud") == 0 || rows.get("holdout_fraud") == 0) {
            throw new IllegalStateException("no known fraud in the " + (rows.get("train_fraud") == 0 ? "training" : "holdout")
                    + " window (" + w + "): the lake needs more history or labels; rows " + rows);
        }

        Tuning.Choice choice = tune(replayed, w, c);
        progress.accept("training XGBoost on " + rows.get("train") + " rows with " + choice.settings());
        long t = System.nanoTime();
        byte[] booster = Models.xgboost(train, c.with(choice.settings()), rows.get("train_fraud"),
                rows.get("train") - rows.get("train_fraud"));
        double trainSeconds = (System.nanoTime() - t) / 1e9;
        TreeModel.parseXgboostJson(booster); // refuse now what the scorer would refuse later
        progress.accept(String.format(java.util.Locale.ROOT, "trained in %.1f s; training the baseline", trainSeconds));
        LogisticRegressionModel baseline = Models.baseline(train, c, rows.get("train_fraud"),
                rows.get("train") - rows.get("train_fraud"));

        progress.accept("scoring the holdout");
        Optional<ModelUpdate> champion = o.useKafka() ? Champions.current(o.bootstrap(), o.line()) : Optional.empty();
        HadoopBlobStore store = new HadoopBlobStore(spark.sparkContext().hadoopConfiguration());
        byte[] championBooster = null;
        String championNote;
        if (champion.isEmpty()) {
            championNote = o.useKafka() ? "no champion on line " + o.line() + " yet" : "champion unknown: Kafka not used";
        } else if (!FeatureSet.HASH.equals(champion.get().featureSetHash())) {
            championNote = "champion " + champion.get().version() + " uses another feature set; not comparable";
        } else {
            championNote = "champion " + champion.get().version();
            try {
                ModelArtifacts.load(champion.get(), store, ModelSigning.trustFromEnvironment()); // signature, checksum, features
                ModelManifest m = ModelManifest.fromJson(store.read(champion.get().uri() + "/" + ModelManifest.FILE));
                championBooster = store.read(champion.get().uri() + "/" + m.boosterFile());
            } catch (ModelRejected | java.io.IOException e) {
                // Scorers refuse it too, so nothing serves it: comparing against it is impossible, and
                // keeping it would leave the line without a usable champion. Said loudly in the gate line.
                championNote = "champion " + champion.get().version() + " cannot be loaded (" + e.getMessage() + ")";
                progress.accept("WARNING: " + championNote + "; the candidate is gated as if there were none");
            }
        }
        Dataset<Row> scored = Models.scoreWithBaseline(Models.scoreWithBooster(holdout, booster, "score"), baseline,
                "baseline_score");
        if (championBooster != null) {
            scored = Models.scoreWithBooster(scored, championBooster, "champion_score");
        }
        Dataset<Row> predictions = scored.select(col("authorization_id"), col("card_token"), col("merchant_id"),
                col("event_time_ms"), col("event_date"), col("label"), col("score"), col("baseline_score"),
                championBooster != null ? col("champion_score") : org.apache.spark.sql.functions.lit(null).cast("double").as("champion_score"));
        Path predictionsPath = out.resolve("holdout_predictions");
        predictions.write().format("delta").mode("overwrite").save(FileLocations.of(predictionsPath));

        List<Row> collected = spark.read().format("delta").load(FileLocations.of(predictionsPath)).collectAsList();
        int k = c.integer("analysts.daily_capacity");
        List<Metrics.Scored> cand = new ArrayList<>(), base = new ArrayList<>(), champ = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        boolean[] fraud = new boolean[collected.size()];
        double[] s = new double[collected.size()], b = new double[collected.size()];
        for (int i = 0; i < collected.size(); i++) {
            Row r = collected.get(i);
            fraud[i] = r.<Double>getAs("label") == 1.0;
            long day = r.<LocalDate>getAs("event_date").toEpochDay();
            String card = r.getAs("card_token");
            s[i] = r.<Double>getAs("score");
            b[i] = r.<Double>getAs("baseline_score");
            cand.add(new Metrics.Scored(s[i], fraud[i], day, card));
            base.add(new Metrics.Scored(b[i], fraud[i], day, card));
            if (championBooster != null) {
                champ.add(new Metrics.Scored(r.<Double>getAs("champion_score"), fraud[i], day, card));
            }
            index.put(r.getAs("authorization_id"), i);
        }
        Map<String, Double> metrics = Metrics.summary(cand, k), baselineMetrics = Metrics.summary(base, k);
        Map<String, Double> championMetrics = championBooster != null ? Metrics.summary(champ, k) : Map.of();
        double review = Metrics.thresholdForRate(s, c.number("alerts.review_rate"));
        double decline = Math.max(review, Metrics.thresholdForRate(s, c.number("alerts.decline_rate")));
        metrics.put("alert_rate_review", Metrics.shareAtOrAbove(s, review));
        metrics.put("alert_rate_decline", Metrics.shareAtOrAbove(s, decline));
        double reviewRecall = 0;
        long frauds = 0;
        for (int i = 0; i < s.length; i++) {
            if (fraud[i]) {
                frauds++;
                reviewRecall += s[i] >= review ? 1 : 0;
            }
        }
        metrics.put("recall_at_review_threshold", frauds == 0 ? Double.NaN : reviewRecall / frauds);

        // Gate: as good as the champion on the same rows, within the tolerance.
        double tolerance = c.number("gate.ap_tolerance");
        boolean passed;
        String reason;
        if (championMetrics.isEmpty()) {
            passed = true;
            reason = championNote + ": the candidate passes by default";
        } else {
            double ours = metrics.get("average_precision"), theirs = championMetrics.get("average_precision");
            passed = ours >= theirs - tolerance;
            reason = String.format(java.util.Locale.ROOT, "%s: average precision %.4f vs the champion's %.4f (tolerance %.4f)",
                    championNote, ours, theirs, tolerance) + (passed ? "" : ": the champion is kept");
        }

        String folder = null;
        boolean promoted = false;
        if (passed) {
            ModelManifest manifest = new ModelManifest(o.line(), version, ModelArtifacts.BOOSTER,
                    ModelArtifacts.sha256(booster), FeatureSet.NAMES, FeatureSet.HASH, review, decline,
                    w.trainFrom().toString(), w.trainTo().toString(), w.delayDays(), rows, metrics, baselineMetrics,
                    Instant.now().toString(), choice.recorded());
            ModelUpdate update = ModelArtifacts.publish(store, o.storeUri(), booster, manifest, System.currentTimeMillis(),
                    ModelSigning.signerFromEnvironment());
            folder = update.uri();
            if (o.useKafka()) {
                Champions.promote(o.bootstrap(), update);
                promoted = true;
            }
        }

        Map<Integer, String> truth = truth(o.truthDir(), index);
        Map<String, Double> scenarioRecall = scenarioRecall(truth, s, review);
        Map<String, Double> scenarioAp = scenarioAveragePrecision(truth, s);
        Map<Long, Double> cardPrecisionPerDay = Metrics.cardPrecisionAtKPerDay(cand, k);
        // Against the ground truth (every fraud, charged back yet or not): what the label delay hides.
        Map<String, Double> truthMetrics = new LinkedHashMap<>();
        if (!truth.isEmpty()) {
            boolean[] isFraud = new boolean[s.length];
            truth.keySet().forEach(i -> isFraud[i] = true);
            truthMetrics.put("average_precision", Metrics.averagePrecision(s, isFraud));
            truthMetrics.put("roc_auc", Metrics.rocAuc(s, isFraud));
            truthMetrics.put("recall_at_1pct_fpr", Metrics.recallAtFpr(s, isFraud, 0.01));
            truthMetrics.put("baseline_average_precision", Metrics.averagePrecision(b, isFraud));
            truthMetrics.put("frauds", (double) truth.size());
        }
        writeReport(out, d, w, rows, metrics, baselineMetrics, championMetrics, review, decline, passed, reason,
                promoted, folder, scenarioRecall, scenarioAp, truthMetrics, cardPrecisionPerDay, choice, fraud, s, b,
                trainSeconds);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        json.put("windows", w.toString());
        json.put("rows", rows);
        json.put("metrics", metrics);
        json.put("baseline_metrics", baselineMetrics);
        json.put("champion_metrics", championMetrics);
        json.put("thresholds", Map.of("review", review, "decline", decline));
        json.put("gate", Map.of("passed", passed, "reason", reason));
        json.put("promoted", promoted);
        json.put("model_folder", String.valueOf(folder));
        json.put("scenario_recall_at_review", scenarioRecall);
        json.put("scenario_average_precision", scenarioAp);
        Map<String, Double> perDay = new LinkedHashMap<>();
        cardPrecisionPerDay.forEach((day, v) -> perDay.put(LocalDate.ofEpochDay(day).toString(), v));
        json.put("card_precision_at_k_per_day", perDay);
        json.put("hyperparameters", choice.recorded());
        json.put("tuning", choice.tried());
        json.put("against_ground_truth", truthMetrics);
        json.put("train_seconds", trainSeconds);
        JSON.writeValue(out.resolve("metrics.json").toFile(), json);
        replayed.unpersist();
        train.unpersist();
        holdout.unpersist();
        return new Outcome(version, promoted, reason, metrics, baselineMetrics, championMetrics,
                out.resolve("report.html"), predictionsPath, folder, rows, trainSeconds);
    }

    /**
     * The run's windows: a fixed training length, or ({@code window.train_days=auto}) all the history
     * the lake's bronze holds up to {@code window.max_train_days}.
     */
    private Windows windows(LocalDate d, TrainingConfig c) {
        int delay = c.integer("window.delay_days"), holdout = c.integer("window.holdout_days");
        if (!c.text("window.train_days").equals("auto")) {
            return Windows.ending(d, c.integer("window.train_days"), delay, holdout);
        }
        // min over the text form: Delta answers a plain min(date) from file statistics and hands
        // back a LocalDate where Spark expects a java.sql.Date (ClassCastException on Delta 4.0).
        Row first = spark.read().format("delta").load(o.lake().bronze(BronzeStream.AUTHORIZATIONS.table()))
                .agg(org.apache.spark.sql.functions.min(col("event_date").cast("string"))).first();
        if (first.isNullAt(0)) {
            throw new IllegalStateException("the lake holds no authorizations to train on");
        }
        return Windows.endingWithHistory(d, LocalDate.parse(first.getString(0)), c.integer("window.max_train_days"),
                delay, holdout);
    }

    /**
     * The rows with the ignored features set missing (NaN) everywhere: in training, tuning and the
     * holdout. The model then never splits on them, though the job still computes them: how a
     * feature is judged on held-out weeks before it is removed from the set.
     */
    static Dataset<Row> masked(Dataset<Row> replayed, List<String> ignored) {
        if (ignored.isEmpty()) {
            return replayed;
        }
        List<String> slots = new ArrayList<>();
        for (String name : ignored) {
            int i = FeatureSet.NAMES.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("features.ignored: no feature '" + name + "' in " + FeatureSet.VERSION);
            }
            slots.add(Integer.toString(i));
        }
        return replayed.withColumn("features", org.apache.spark.sql.functions.expr("transform(features, (x, i) -> "
                + "CASE WHEN i IN (" + String.join(",", slots) + ") THEN CAST('NaN' AS FLOAT) ELSE x END)"));
    }

    /** XGBoost's settings for this run: chosen on a validation fold inside the training window, or the defaults. */
    private Tuning.Choice tune(Dataset<Row> replayed, Windows w, TrainingConfig c) {
        if (!Boolean.parseBoolean(c.text("tune.enabled"))) {
            return Tuning.defaults(c, "configured (tune.enabled=false)");
        }
        Optional<Windows> folds = w.tuning(c.integer("tune.validation_days"), c.integer("tune.min_fit_days"));
        if (folds.isEmpty()) {
            return Tuning.defaults(c, "configured: a " + w.trainDays() + "-day training window leaves fewer than "
                    + c.integer("tune.min_fit_days") + " days to fit on before a " + c.integer("tune.validation_days")
                    + "-day validation fold and the delay");
        }
        Windows t = folds.get();
        progress.accept("tuning windows: " + t);
        Dataset<Row> fit = TrainingSet.labelled(replayed, TrainingSet.labelsKnownAt(spark, o.lake(), t.trainLabelsKnownAt()),
                t.trainFrom(), t.trainTo()).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> validation = TrainingSet.labelled(replayed,
                TrainingSet.labelsKnownAt(spark, o.lake(), t.holdoutLabelsKnownAt()), t.holdoutFrom(), t.holdoutTo())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long fitRows = fit.count(), fitFraud = fit.filter(col("label").equalTo(1.0)).count();
            long validationFraud = validation.filter(col("label").equalTo(1.0)).count();
            if (fitFraud == 0 || validationFraud == 0) {
                return Tuning.defaults(c, "configured: no known fraud in the tuning " + (fitFraud == 0 ? "fit" : "validation")
                        + " fold (" + t + ")");
            }
            return Tuning.choose(fit, validation, t, c, fitFraud, fitRows - fitFraud, progress);
        } finally {
            fit.unpersist();
            validation.unpersist();
        }
    }

    /** Per scenario: average precision of its frauds against the authorizations that were no fraud at all. */
    private static Map<String, Double> scenarioAveragePrecision(Map<Integer, String> truth, double[] scores) {
        Map<String, List<Integer>> byScenario = new java.util.TreeMap<>();
        truth.forEach((i, scenario) -> byScenario.computeIfAbsent(scenario, x -> new ArrayList<>()).add(i));
        List<Integer> genuine = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (!truth.containsKey(i)) {
                genuine.add(i);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        byScenario.forEach((scenario, frauds) -> {
            double[] s = new double[frauds.size() + genuine.size()];
            boolean[] f = new boolean[s.length];
            int n = 0;
            for (int i : frauds) {
                s[n] = scores[i];
                f[n++] = true;
            }
            for (int i : genuine) {
                s[n++] = scores[i];
            }
            out.put(scenario + " (" + frauds.size() + ")", Metrics.averagePrecision(s, f));
        });
        return out;
    }

    /** Ground truth (authorization id → scenario) for the holdout rows, from the generator's truth files. */
    private static Map<Integer, String> truth(Path truthDir, Map<String, Integer> index) throws IOException {
        Map<Integer, String> out = new HashMap<>();
        if (truthDir == null || !Files.isDirectory(truthDir)) {
            return out;
        }
        try (var files = Files.walk(truthDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] cells = line.split(",");
                    Integer i = cells.length >= 3 ? index.get(cells[0]) : null;
                    if (i != null) {
                        out.put(i, cells[2]);
                    }
                }
            }
        }
        return out;
    }

    /** Per scenario: the share of its holdout frauds at or above the review threshold. */
    private static Map<String, Double> scenarioRecall(Map<Integer, String> truth, double[] scores, double review) {
        Map<String, long[]> counts = new java.util.TreeMap<>();
        truth.forEach((i, scenario) -> {
            long[] c = counts.computeIfAbsent(scenario, x -> new long[2]);
            c[0]++;
            c[1] += scores[i] >= review ? 1 : 0;
        });
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((scenario, c) -> out.put(scenario + " (" + c[0] + ")", (double) c[1] / c[0]));
        return out;
    }

    private void writeReport(Path out, LocalDate d, Windows w, Map<String, Long> rows, Map<String, Double> metrics,
                             Map<String, Double> baseline, Map<String, Double> champion, double review, double decline,
                             boolean passed, String reason, boolean promoted, String folder,
                             Map<String, Double> scenarioRecall, Map<String, Double> scenarioAp,
                             Map<String, Double> truthMetrics, Map<Long, Double> cardPrecisionPerDay,
                             Tuning.Choice choice, boolean[] fraud, double[] s, double[] b,
                             double trainSeconds) throws IOException {
        List<Charts.Series> series = new ArrayList<>(List.of(new Charts.Series("XGBoost (candidate)", s),
                new Charts.Series("logistic regression (baseline)", b)));
        Charts.precisionRecall(out.resolve("precision-recall.png"), fraud, series);
        Charts.scoreDistribution(out.resolve("score-distribution.png"), fraud, s);
        Charts.calibration(out.resolve("calibration.png"), fraud, s);

        Report r = new Report("Vigil training run: line " + o.line() + ", " + d);
        r.verdict(passed, (passed ? "Gate passed" : "Gate failed") + " — " + reason
                + (passed ? (promoted ? "; promoted to champion on model-updates" : "; published, not promoted (Kafka not used)") : ""));
        r.heading("Data").paragraph(w.toString()).table(List.of(
                List.of("rows", "count"), List.of("replayed authorizations (all up to D)", rows.get("replayed")),
                List.of("training rows", rows.get("train")), List.of("training frauds (labels known at "
                        + w.trainLabelsKnownAt() + ")", rows.get("train_fraud")),
                List.of("holdout rows", rows.get("holdout")), List.of("holdout frauds (labels known at " + d + ")",
                        rows.get("holdout_fraud")),
                List.of("host-declined authorizations left out", rows.get("host_declined_left_out"))));
        r.paragraph("Declined authorizations: the issuer host's declines never receive a chargeback, so they would all "
                + "read as legitimate; they are left out of training and of the holdout. The model therefore learns and is "
                + "judged on authorizations that were approved (a selection bias: fraud the host stopped is not seen). "
                + "Authorizations without a label known at the cutoff count as legitimate.");
        Map<String, Map<String, Double>> byModel = new LinkedHashMap<>();
        byModel.put("candidate (XGBoost)", metrics);
        byModel.put("baseline (logistic regression)", baseline);
        if (!champion.isEmpty()) {
            byModel.put("champion", champion);
        }
        r.heading("Holdout metrics").table(Report.metricsTable(byModel));
        r.paragraph("card_precision_at_k: k = " + o.config().integer("analysts.daily_capacity")
                + " cards per day (analysts' capacity). Accuracy is not reported: with fraud this rare it says nothing.");
        r.heading("Thresholds").table(List.of(List.of("action", "score at or above", "share of holdout"),
                List.of("REVIEW", review, metrics.get("alert_rate_review")),
                List.of("DECLINE", decline, metrics.get("alert_rate_decline"))));
        List<List<Object>> days = new ArrayList<>();
        days.add(List.of("day", "card precision@" + o.config().integer("analysts.daily_capacity")));
        cardPrecisionPerDay.forEach((day, v) -> days.add(List.of(LocalDate.ofEpochDay(day).toString(), v)));
        r.heading("Card precision per day").paragraph("The day's highest-scoring cards, cards defrauded on an earlier "
                + "holdout day left out (already known compromised): the share with a fraud that day.").table(days);
        List<List<Object>> chosen = new ArrayList<>();
        chosen.add(List.of("XGBoost setting", "value"));
        choice.recorded().forEach((k2, v) -> chosen.add(List.of(k2, v)));
        r.heading("XGBoost settings").table(chosen);
        if (!choice.tried().isEmpty()) {
            List<List<Object>> grid = new ArrayList<>();
            grid.add(List.of("max_depth", "eta", "min_child_weight", "rounds", "validation AP"));
            choice.tried().stream().sorted(java.util.Comparator.comparingDouble(Tuning.Candidate::validationAp).reversed())
                    .forEach(x -> grid.add(List.of(x.maxDepth(), x.eta(), x.minChildWeight(), x.rounds(), x.validationAp())));
            r.paragraph("Every candidate, best first (validation fold inside the training window; the holdout is not "
                    + "used to choose):").table(grid);
        }
        if (!scenarioRecall.isEmpty()) {
            List<List<Object>> rowsOut = new ArrayList<>();
            rowsOut.add(List.of("scenario (holdout frauds)", "recall at the REVIEW threshold", "AP against no-fraud rows"));
            scenarioRecall.forEach((k2, v) -> rowsOut.add(List.of(k2, v, scenarioAp.getOrDefault(k2, Double.NaN))));
            r.heading("Recall per fraud scenario (ground truth)").table(rowsOut);
            List<List<Object>> truthRows = new ArrayList<>();
            truthRows.add(List.of("against the ground truth", "value"));
            truthMetrics.forEach((k2, v) -> truthRows.add(List.of(k2, v)));
            r.paragraph("The holdout labels are those known at D: frauds whose chargeback has not arrived count as "
                    + "legitimate. Scored against the generator's ground truth instead:").table(truthRows);
        }
        r.heading("Charts").images("precision-recall.png", "score-distribution.png", "calibration.png");
        r.heading("Where things are").table(List.of(List.of("what", "where"),
                List.of("model folder", folder == null ? "(not published)" : folder),
                List.of("holdout predictions (Delta table)", out.resolve("holdout_predictions").toString()),
                List.of("metrics", out.resolve("metrics.json").toString()),
                List.of("XGBoost training time", String.format(java.util.Locale.ROOT, "%.1f s", trainSeconds))));
        List<List<Object>> settings = new ArrayList<>();
        settings.add(List.of("setting", "value"));
        new java.util.TreeMap<>(o.config().all()).forEach((k2, v) -> settings.add(List.of(k2, v)));
        r.heading("Settings").table(settings);
        r.write(out);
    }
}
