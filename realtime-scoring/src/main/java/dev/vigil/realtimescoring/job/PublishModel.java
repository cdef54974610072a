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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./vigil model publish BOOSTER.json}: publishes an XGBoost JSON model trained on this
 * build's features as {@code models/<line>/<version>/} and makes it the champion on
 * {@code model-updates}. The operator's tool for a model trained outside the nightly (the nightly
 * publishes its own, after its gate). Options: {@code --line}, {@code --version}, {@code --store},
 * {@code --review}, {@code --decline}, {@code --bootstrap}.
 */
public final class PublishModel {
    private PublishModel() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length < 1) {
            throw new IllegalArgumentException("usage: publish BOOSTER.json [--line L] [--version V] [--store URI]");
        }
        Map<String, String> opts = Main.options(java.util.Arrays.copyOfRange(argv, 1, argv.length));
        byte[] booster = Files.readAllBytes(Path.of(argv[0]));
        TreeModel trees = TreeModel.parseXgboostJson(booster);
        if (trees.numFeatures() != FeatureSet.SIZE) {
            throw new IllegalArgumentException("the model has " + trees.numFeatures() + " features, this build "
                    + FeatureSet.SIZE);
        }
        String line = opts.getOrDefault("line", "world");
        String version = opts.getOrDefault("version", "manual-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14));
        String store = opts.getOrDefault("store",
                FileLocations.of(Path.of(System.getProperty("vigil.home", ".vigil"), "store")));
        String bootstrap = opts.getOrDefault("bootstrap", System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092"));
        ModelManifest manifest = new ModelManifest(line, version, ModelArtifacts.BOOSTER, ModelArtifacts.sha256(booster),
                FeatureSet.NAMES, FeatureSet.HASH, Double.parseDouble(opts.getOrDefault("review", "0.5")),
                Double.parseDouble(opts.getOrDefault("decline", "0.9")), "unknown", "unknown", 0, Map.of(), Map.of(),
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
