package dev.vigil.batchtraining.night;

import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.LakeSpark;
import dev.vigil.featurelake.cli.LakeMain;
import dev.vigil.featurelake.nightly.Nightly;
import dev.vigil.featurelake.quality.QualityViolation;
import dev.vigil.batchtraining.cli.TrainMain;
import org.apache.spark.sql.SparkSession;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./vigil nightly --date D | --from D --to D [lake options] [training options] [--no-train]}:
 * the night, the one entry point that {@code ./vigil}, the schedule, the Spark cluster and Kubernetes
 * all run. First the lake's night(s) (land the topics, check, build and publish the profiles), then
 * training for the last date, in one Spark session.
 *
 * <p>Options are split by who reads them: {@link #TRAINING_ONLY} and {@code --set} go to training;
 * everything else to the lake, which refuses what it does not know. Training also gets the lake,
 * the broker and the master, and follows the lake's {@code --publish}: a night that may not publish
 * profiles does not promote a model either.
 */
public final class NightMain {

    /** Options only training reads. */
    static final Set<String> TRAINING_ONLY = Set.of("line", "store", "config", "truth");

    private NightMain() {
    }

    /** The night's options, split between the lake and training. */
    public record Plan(Map<String, String> lake, Map<String, String> training, Map<String, String> settings, boolean train) {
    }

    public static Plan plan(String[] args) {
        Map<String, String> lake = new HashMap<>(), training = new HashMap<>(), settings = new HashMap<>();
        boolean train = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-train")) {
                train = false;
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options are --name value (and --no-train), got " + a);
            }
            String name = a.substring(2), value = args[++i];
            if (name.equals("set")) {
                TrainMain.addSetting(settings, value);
            } else if (TRAINING_ONLY.contains(name)) {
                training.put(name, value);
            } else {
                lake.put(name, value);
            }
        }
        // Dates resolved once ("yesterday" on Kubernetes), so the lake and training agree on them.
        for (String date : new String[] {"date", "from", "to"}) {
            if (lake.containsKey(date)) {
                lake.put(date, Nightly.night(lake.get(date)).toString());
            }
        }
        String last = lake.containsKey("date") ? lake.get("date") : lake.get("to");
        if (last == null) {
            throw new IllegalArgumentException("nightly needs --date D or --from D --to D");
        }
        if (!train && !(training.isEmpty() && settings.isEmpty())) {
            throw new IllegalArgumentException("--no-train with training options " + training.keySet()
                    + (settings.isEmpty() ? "" : " and --set"));
        }
        training.put("date", last);
        for (String shared : new String[] {"lake", "bootstrap", "master"}) {
            if (lake.containsKey(shared)) {
                training.put(shared, lake.get(shared));
            }
        }
        if (lake.containsKey("publish")) {
            training.put("kafka", lake.get("publish"));
        }
        return new Plan(lake, training, settings, train);
    }

    public static void main(String[] args) throws Exception {
        Plan plan;
        try {
            plan = plan(args);
            if (plan.train()) {
                TrainMain.checkOptions(plan.training());
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            System.err.println("vigil: " + e.getMessage());
            System.err.println("usage: ./vigil nightly --date D | --from D --to D [--lake URI] [--bootstrap HOST:PORT]"
                    + " [--ingest auto|on|off] [--publish auto|on|off] [--load DIR] [--out DIR]"
                    + " [--line L] [--store URI] [--config FILE] [--truth DIR] [--set key=value] [--no-train]");
            System.exit(64);
            return;
        }
        // Under spark-submit the master is already set; run alone, the night runs in local mode.
        String master = plan.lake().getOrDefault("master", System.getProperty("spark.master") == null ? "local[*]" : null);
        SparkSession spark = LakeSpark.session("vigil-night", master);
        spark.sparkContext().setLogLevel("WARN");
        int code;
        try {
            code = LakeMain.nightly(spark, new Lake(plan.lake().getOrDefault("lake", LakeMain.defaultLake())), plan.lake());
            if (code == 0 && plan.train()) {
                System.out.println("Training for " + plan.training().get("date"));
                code = TrainMain.train(spark, plan.training(), plan.settings());
            }
        } catch (QualityViolation e) {
            System.err.println("vigil: " + e.getMessage());
            code = 3;
        } catch (IllegalArgumentException | IllegalStateException | java.time.DateTimeException e) {
            System.err.println("vigil: " + e.getMessage());
            code = 2;
        } finally {
            spark.stop();
        }
        System.exit(code);
    }
}
