package dev.vigil.realtimescoring.job;

import dev.vigil.core.config.FileLocations;
import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.TreeModel;
import dev.vigil.core.topic.Topic;
import dev.vigil.realtimescoring.decide.FlinkBlobStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./vigil model publish BOOSTER.json}: publishes an XGBoost JSON model trained on this
 * build's features as {@code models/<line>/<version>/} and makes it the champion on
 * {@code model-updates}. The operator's tool for a model trained outside the nightly (the nightly
 * publishes its own, after its gate).
 */
@Command(name = "publish", sortOptions = false)
public final class PublishModel {
    @Parameters(index = "0", paramLabel = "BOOSTER.json", description = "the XGBoost model, JSON")
    Path booster;

    @Option(names = "--line", description = "the model line it becomes the champion of")
    String line = "world";

    @Option(names = "--version", description = "default: manual-<UTC timestamp>")
    String version = "manual-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);

    @Option(names = "--store", description = "the model store URI; default <vigil.home>/store")
    String store = FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "store"));

    @Option(names = "--review", description = "score from which a decision is REVIEW")
    double review = 0.5;

    @Option(names = "--decline", description = "score from which a decision is DECLINE")
    double decline = 0.9;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers")
    String bootstrap = System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092");

    private PublishModel() {
    }

    public static void main(String[] argv) throws Exception {
        PublishModel o;
        try {
            o = parse(argv);
        } catch (CommandLine.ParameterException e) {
            System.err.println("vigil: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(64);
            return;
        }
        o.publish();
    }

    static PublishModel parse(String... argv) {
        PublishModel o = new PublishModel();
        CommandLine cli = new CommandLine(o).setExpandAtFiles(false);
        cli.parseArgs(argv);
        if (!(0 < o.review && o.review <= o.decline && o.decline <= 1)) {
            throw new CommandLine.ParameterException(cli, "--review and --decline must satisfy 0 < review <= decline <= 1");
        }
        return o;
    }

    private void publish() throws Exception {
        byte[] booster = Files.readAllBytes(this.booster);
        TreeModel trees = TreeModel.parseXgboostJson(booster);
        if (trees.numFeatures() != FeatureSet.SIZE) {
            throw new IllegalArgumentException("the model has " + trees.numFeatures() + " features, this build "
                    + FeatureSet.SIZE);
        }
        ModelManifest manifest = new ModelManifest(line, version, ModelArtifacts.BOOSTER, ModelArtifacts.sha256(booster),
                FeatureSet.NAMES, FeatureSet.HASH, review, decline, "unknown", "unknown", 0, Map.of(), Map.of(),
                Map.of(), Instant.now().toString());
        ModelUpdate update = ModelArtifacts.publish(new FlinkBlobStore(), store, booster, manifest, System.currentTimeMillis(),
                ModelSigning.signerFromEnvironment());
        Properties p = new Properties();
        p.putAll(KafkaClientSecurity.fromEnvironment());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topic.MODEL_UPDATES.topicName(), line,
                    ModelUpdateCodec.INSTANCE.encode(update))).get();
        }
        System.out.println("Published " + update.uri() + " and made it the champion of line " + line);
    }
}
