package dev.vigil.batchtraining.night;

import dev.vigil.batchtraining.cli.ModelOptions;
import dev.vigil.batchtraining.cli.TrainMain;
import dev.vigil.batchtraining.cli.TrainOptions;
import dev.vigil.featurelake.LakeSpark;
import dev.vigil.featurelake.cli.LakeMain;
import dev.vigil.featurelake.cli.NightOptions;
import dev.vigil.featurelake.quality.QualityViolation;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil nightly --date D | --from D --to D [lake options] [training options] [--no-train]}:
 * the night, the one entry point that {@code ./vigil}, the schedule, the Spark cluster and Kubernetes
 * all run. First the lake's night(s) (land the topics, check, build and publish the profiles), then
 * training for the last date, in one Spark session.
 *
 * <p>The lake's options are {@link NightOptions}; training's own are {@link ModelOptions}. Training
 * also gets the lake, the broker and the master, and follows the lake's {@code --publish}: a night
 * that may not publish profiles does not promote a model either. An option neither knows is refused
 * (exit 64).
 */
@Command(name = "vigil nightly", sortOptions = false)
public final class NightMain {
    @Mixin
    NightOptions lake = new NightOptions();

    @Mixin
    ModelOptions training = new ModelOptions();

    @Option(names = "--no-train", description = "the lake's steps only")
    boolean noTrain;

    private NightMain() {
    }

    /** The night's options: the lake's, and (unless {@code train} is false) the training run for its last night. */
    public record Plan(NightOptions lake, TrainOptions training, boolean train) {
    }

    /**
     * Parses and checks the night's arguments; the dates are resolved once ("yesterday" on
     * Kubernetes), so the lake and training agree on them.
     *
     * @throws IllegalArgumentException for an unknown option, a missing value, missing or mixed dates,
     *                                  or training options with {@code --no-train}
     */
    public static Plan plan(String[] args) {
        NightMain night = new NightMain();
        try {
            new CommandLine(night).setExpandAtFiles(false).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        NightOptions lake = night.lake;
        lake.check();
        if (night.noTrain && night.training.given()) {
            throw new IllegalArgumentException("--no-train with training options (--line, --store, --config, --truth, --set)");
        }
        TrainOptions training = TrainOptions.forNight(lake.last().toString(), lake.lakeUri(), lake.bootstrap(),
                lake.master(), lake.publish(), night.training);
        return new Plan(lake, training, !night.noTrain);
    }

    public static void main(String[] args) throws Exception {
        Plan plan;
        try {
            plan = plan(args);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            System.err.println("vigil: " + e.getMessage());
            new CommandLine(new NightMain()).usage(System.err);
            System.exit(64);
            return;
        }
        SparkSession spark = LakeSpark.session("vigil-night", LakeMain.sparkMaster(plan.lake().master()));
        spark.sparkContext().setLogLevel("WARN");
        int code;
        try {
            code = LakeMain.nightly(spark, plan.lake());
            if (code == 0 && plan.train()) {
                System.out.println("Training for " + plan.training().date());
                code = TrainMain.train(spark, plan.training());
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
