package dev.vigil.loadtest.chaos;

import dev.vigil.core.feature.FeatureSet;
import dev.vigil.core.json.ModelUpdateCodec;
import dev.vigil.core.model.LocalBlobStore;
import dev.vigil.core.model.ModelArtifacts;
import dev.vigil.core.model.ModelManifest;
import dev.vigil.core.model.ModelSigning;
import dev.vigil.core.event.ModelUpdate;
import dev.vigil.core.model.XgboostJson;
import dev.vigil.core.topic.Topic;
import dev.vigil.testkit.kafka.KafkaSettings;
import dev.vigil.testkit.harness.Reports;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The models of the bad-model scenario, published to a local model store and named on
 * {@code model-updates} as the nightly would: first a good champion (a one-tree model over the
 * amount, whose provenance does not matter here), then three that must be refused:
 * <ul>
 *   <li>truncated: the booster cut in half, its checksum taken of what was written (a trainer that
 *       died mid-write and checksummed the stub): passes the checksum, fails as a model;</li>
 *   <li>wrong checksum: an intact booster whose manifest and update carry another file's checksum;</li>
 *   <li>feature mismatch: an intact booster whose manifest lists a feature set this build does not compute;</li>
 *   <li>forged: an intact, well-formed model signed by a key the scorer does not trust (someone who can
 *       write the store and the topic, but does not hold the trainer's key).</li>
 * </ul>
 * The first three are signed by the trainer's key, so that each is refused for its own defect.
 */
public final class BadModels {
    private BadModels() {
    }

    static ModelManifest manifest(String line, String version, String checksum, List<String> features) {
        return new ModelManifest(line, version, ModelArtifacts.BOOSTER, checksum, features, FeatureSet.HASH, 0.5, 0.9,
                "chaos", "chaos", 0, Map.of(), Map.of(), Map.of(), Instant.now().toString());
    }

    /** Publishes the good champion and names it on model-updates; returns its version. */
    public static String publishChampion(String bootstrap, String store, String line) throws Exception {
        String version = "chaos-good-" + System.currentTimeMillis();
        byte[] booster = XgboostJson.amountModel();
        ModelUpdate u = ModelArtifacts.publish(new LocalBlobStore(), store, booster,
                manifest(line, version, ModelArtifacts.sha256(booster), FeatureSet.NAMES), System.currentTimeMillis(),
                ModelSigning.signerFromEnvironment());
        send(bootstrap, List.of(u));
        return version;
    }

    /** Writes the four bad models, names each on model-updates in turn, and records them in {@code out}. */
    public static void publishBad(String bootstrap, String store, String line, String champion, Path out) throws Exception {
        long now = System.currentTimeMillis();
        byte[] booster = XgboostJson.amountModel();
        LocalBlobStore blobs = new LocalBlobStore();
        List<ModelUpdate> updates = new ArrayList<>();
        List<Object> listed = new ArrayList<>();

        byte[] stub = Arrays.copyOf(booster, booster.length / 2);
        updates.add(write(blobs, store, manifest(line, "chaos-truncated-" + now, ModelArtifacts.sha256(stub),
                FeatureSet.NAMES), stub, ModelArtifacts.sha256(stub), now));
        String otherChecksum = ModelArtifacts.sha256("another file".getBytes(StandardCharsets.UTF_8));
        updates.add(write(blobs, store, manifest(line, "chaos-bad-checksum-" + now, otherChecksum, FeatureSet.NAMES),
                booster, otherChecksum, now));
        List<String> otherFeatures = new ArrayList<>(FeatureSet.NAMES);
        otherFeatures.set(0, "amount_usd_not_computed_here");
        updates.add(write(blobs, store, manifest(line, "chaos-feature-mismatch-" + now,
                ModelArtifacts.sha256(booster), otherFeatures), booster, ModelArtifacts.sha256(booster), now));
        ModelSigning.Signer stranger = new ModelSigning.Signer(ModelSigning.signerFromEnvironment().keyId(),
                java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        updates.add(ModelArtifacts.publish(blobs, store, booster, manifest(line, "chaos-forged-" + now,
                ModelArtifacts.sha256(booster), FeatureSet.NAMES), now, stranger));
        String[] defects = {"truncated booster", "wrong checksum", "feature list does not match",
                "signed by an untrusted key"};
        for (int i = 0; i < updates.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", updates.get(i).version());
            m.put("defect", defects[i]);
            listed.add(m);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("champion", champion);
        record.put("bad_published_ms", System.currentTimeMillis());
        record.put("bad", listed);
        Files.writeString(out, Reports.json(record));
        for (ModelUpdate u : updates) {
            send(bootstrap, List.of(u));
            Thread.sleep(2_000);
        }
    }

    /** A model folder as publish writes it (booster, manifest, signature, marker), without publish's own checks. */
    private static ModelUpdate write(LocalBlobStore blobs, String store, ModelManifest manifest, byte[] booster,
                                     String updateChecksum, long now) throws IOException {
        String folder = ModelArtifacts.folder(store, manifest.line(), manifest.version());
        blobs.write(folder + "/" + manifest.boosterFile(), booster);
        byte[] manifestBytes = manifest.toJson();
        blobs.write(folder + "/" + ModelManifest.FILE, manifestBytes);
        blobs.write(folder + "/" + ModelSigning.SIGNATURE_FILE, ModelSigning.signerFromEnvironment().sign(manifestBytes));
        blobs.write(folder + "/" + ModelArtifacts.MARKER, updateChecksum.getBytes(StandardCharsets.US_ASCII));
        return new ModelUpdate(manifest.line(), manifest.version(), folder, updateChecksum, FeatureSet.HASH, now);
    }

    private static void send(String bootstrap, List<ModelUpdate> updates) throws InterruptedException, ExecutionException {
        try (Producer<String, byte[]> p = new KafkaProducer<>(KafkaSettings.producer(bootstrap))) {
            for (ModelUpdate u : updates) {
                p.send(new ProducerRecord<>(Topic.MODEL_UPDATES.topicName(), u.line(), ModelUpdateCodec.INSTANCE.encode(u))).get();
            }
        }
    }
}
