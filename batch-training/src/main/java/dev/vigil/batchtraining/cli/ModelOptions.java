package dev.vigil.batchtraining.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training's own options, the ones the lake knows nothing of: which model line, where models go,
 * the training configuration ({@code --config FILE}, then each {@code --set key=value} over it) and
 * the ground truth of a generated world. A picocli mixin of {@code ./vigil train} ({@link TrainOptions})
 * and of the night ({@code NightMain}), so both take them alike.
 */
public final class ModelOptions {
    @Option(names = "--line", description = "the model line (default world)")
    String line;

    @Option(names = "--store", description = "the model store's URI; default <vigil.home>/store")
    String store;

    @Option(names = "--config", description = "a training configuration file (YAML)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "one training setting over the configuration's; repeatable")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--truth", description = "a folder of ground truth for the report (generated worlds only)")
    Path truth;

    /** Whether any was given (the night refuses them with --no-train). */
    public boolean given() {
        return line != null || store != null || config != null || truth != null || !settings.isEmpty();
    }
}
