package dev.vigil.core.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.core.json.JsonTree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a model folder: what a scorer needs to trust and use the booster, and
 * what training recorded about it.
 *
 * @param line            the model line
 * @param version         the model version
 * @param boosterFile     the booster's file name in the folder (XGBoost JSON)
 * @param checksum        {@code sha256:<hex>} of the booster file
 * @param featureNames    the features in vector order
 * @param featureSetHash  {@code FeatureSet.HASH} at training time
 * @param reviewThreshold score at or above which an authorization is queued for review
 * @param declineThreshold score at or above which it is declined
 * @param trainedFrom     first day of the training window (ISO date)
 * @param trainedTo       last day of the training window
 * @param labelDelayDays  the gap between the window and the day labels were known
 * @param rows            row counts (train, holdout, ...)
 * @param metrics         holdout metrics of this model ({@code average_precision}, {@code roc_auc}, ...)
 * @param baselineMetrics the same metrics for the baseline model
 * @param createdAt       ISO instant the model was written
 * @param hyperparameters the trainer's settings and how they were chosen (empty when not recorded)
 */
public record ModelManifest(String line, String version, String boosterFile, String checksum,
                            List<String> featureNames, String featureSetHash, double reviewThreshold,
                            double declineThreshold, String trainedFrom, String trainedTo, int labelDelayDays,
                            Map<String, Long> rows, Map<String, Double> metrics, Map<String, Double> baselineMetrics,
                            String createdAt, Map<String, String> hyperparameters) {
    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;

    public ModelManifest {
        featureNames = List.copyOf(featureNames);
        rows = Map.copyOf(rows);
        metrics = Map.copyOf(metrics);
        baselineMetrics = Map.copyOf(baselineMetrics);
        hyperparameters = Map.copyOf(hyperparameters);
    }

    /** A manifest that records no trainer settings (a model published from a file, a test's model). */
    public ModelManifest(String line, String version, String boosterFile, String checksum,
                         List<String> featureNames, String featureSetHash, double reviewThreshold,
                         double declineThreshold, String trainedFrom, String trainedTo, int labelDelayDays,
                         Map<String, Long> rows, Map<String, Double> metrics, Map<String, Double> baselineMetrics,
                         String createdAt) {
        this(line, version, boosterFile, checksum, featureNames, featureSetHash, reviewThreshold, declineThreshold,
                trainedFrom, trainedTo, labelDelayDays, rows, metrics, baselineMetrics, createdAt, Map.of());
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("line", line);
            g.writeStringField("version", version);
            g.writeStringField("booster_file", boosterFile);
            g.writeStringField("checksum", checksum);
            g.writeArrayFieldStart("feature_names");
            for (String f : featureNames) {
                g.writeString(f);
            }
            g.writeEndArray();
            g.writeStringField("feature_set_hash", featureSetHash);
            g.writeObjectFieldStart("thresholds");
            g.writeNumberField("review", reviewThreshold);
            g.writeNumberField("decline", declineThreshold);
            g.writeEndObject();
            g.writeObjectFieldStart("training_window");
            g.writeStringField("from", trainedFrom);
            g.writeStringField("to", trainedTo);
            g.writeEndObject();
            g.writeNumberField("label_delay_days", labelDelayDays);
            g.writeObjectFieldStart("rows");
            for (Map.Entry<String, Long> e : new TreeMap<>(rows).entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            writeMetrics(g, "metrics", metrics);
            writeMetrics(g, "baseline_metrics", baselineMetrics);
            g.writeStringField("created_at", createdAt);
            if (!hyperparameters.isEmpty()) {
                g.writeObjectFieldStart("hyperparameters");
                for (Map.Entry<String, String> e : new TreeMap<>(hyperparameters).entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeMetrics(JsonGenerator g, String name, Map<String, Double> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Double> e : new TreeMap<>(m).entrySet()) {
            if (e.getValue().isNaN()) {
                g.writeNullField(e.getKey());
            } else {
                g.writeNumberField(e.getKey(), e.getValue());
            }
        }
        g.writeEndObject();
    }

    public static ModelManifest fromJson(byte[] json) throws IOException {
        Map<String, Object> m = JsonTree.object(JsonTree.parse(json), "manifest");
        if ((int) JsonTree.number(m, "format") != FORMAT) {
            throw new IOException("manifest format " + m.get("format") + " is not " + FORMAT);
        }
        List<String> names = new ArrayList<>();
        for (Object o : JsonTree.array(m, "feature_names")) {
            if (!(o instanceof String s)) {
                throw new IOException("'feature_names' must hold strings");
            }
            names.add(s);
        }
        Map<String, Object> thresholds = JsonTree.object(m, "thresholds");
        Map<String, Object> window = JsonTree.object(m, "training_window");
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : JsonTree.object(m, "rows").entrySet()) {
            rows.put(e.getKey(), ((Number) e.getValue()).longValue());
        }
        return new ModelManifest(JsonTree.string(m, "line"), JsonTree.string(m, "version"),
                JsonTree.string(m, "booster_file"), JsonTree.string(m, "checksum"), names,
                JsonTree.string(m, "feature_set_hash"), JsonTree.number(thresholds, "review"),
                JsonTree.number(thresholds, "decline"), JsonTree.string(window, "from"), JsonTree.string(window, "to"),
                (int) JsonTree.number(m, "label_delay_days"), rows, metrics(m, "metrics"), metrics(m, "baseline_metrics"),
                JsonTree.string(m, "created_at"), hyperparameters(m));
    }

    private static Map<String, String> hyperparameters(Map<String, Object> m) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (m.get("hyperparameters") == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : JsonTree.object(m, "hyperparameters").entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw new IOException("'hyperparameters' must hold strings");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static Map<String, Double> metrics(Map<String, Object> m, String field) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : JsonTree.object(m, field).entrySet()) {
            out.put(e.getKey(), e.getValue() == null ? Double.NaN : ((Number) e.getValue()).doubleValue());
        }
        return out;
    }
}
