package dev.vigil.batchtraining.cli;

import dev.vigil.core.config.FileLocations;
import dev.vigil.featurelake.Lake;
import dev.vigil.featurelake.cli.NightOptions;
import dev.vigil.featurelake.nightly.Nightly;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one training run reads: the day, where the lake and the broker are, whether Kafka is used, and
 * training's own options ({@link ModelOptions}). Used by {@code ./vigil train} as is; the night's entry
 * point sets the day, the lake, the broker, the master and {@code --kafka} from its own options, so the
 * two always agree.
 */
public final class TrainOptions {
    @Option(names = "--date", required = true, description = "train for this day: YYYY-MM-DD or 'yesterday' (UTC)")
    String date;

    @Option(names = "--lake", description = "the lake's URI; default <vigil.home>/lake")
    String lake;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: -Dvigil.kafka.bootstrap, else 127.0.0.1:9092)")
    String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");

    @Option(names = "--kafka", converter = NightOptions.KafkaModeText.class,
            description = "compare with and promote over the champion on model-updates: auto, on or off")
    Nightly.KafkaMode kafka = Nightly.KafkaMode.AUTO;

    @Option(names = "--out", description = "where the run's report goes; default <vigil.home>/runs/train")
    Path out = Path.of(home(), "runs", "train");

    @Option(names = "--master", description = "Spark master; default local[*], or spark-submit's")
    String master;

    @Mixin
    ModelOptions model = new ModelOptions();

    /**
     * The options of a run the night plans: its last night, on the night's lake, broker and master,
     * with training's own options as the night got them.
     */
    public static TrainOptions forNight(String date, String lake, String bootstrap, String master, Nightly.KafkaMode kafka,
                                        ModelOptions model) {
        TrainOptions o = new TrainOptions();
        o.date = date;
        o.lake = lake;
        o.bootstrap = bootstrap;
        o.master = master;
        o.kafka = kafka;
        o.model = model;
        return o;
    }

    public String date() {
        return date;
    }

    public Lake lake() {
        return new Lake(lake != null ? lake : FileLocations.of(Path.of(home(), "lake")));
    }

    public String store() {
        return model.store != null ? model.store : FileLocations.of(Path.of(home(), "store"));
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Nightly.KafkaMode kafka() {
        return kafka;
    }

    public String line() {
        return model.line != null ? model.line : "world";
    }

    public Path config() {
        return model.config;
    }

    public Path truth() {
        return model.truth;
    }

    public Map<String, String> settings() {
        return model.settings;
    }

    public String master() {
        return master;
    }

    Path out() {
        return out;
    }

    private static String home() {
        return System.getProperty("vigil.home", ".vigil");
    }
}
