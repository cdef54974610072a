package dev.vigil.core.deploy;

import dev.vigil.core.topic.Topic;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.vigil.core.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifests as a whole, and the topics of the design (core's Topic) as Strimzi resources. */
class KubernetesManifestTest {

    @Test
    void everyDocumentIsAResourceAndKustomizeListsEveryFile() {
        List<Map<String, Object>> docs = Manifests.all();
        assertFalse(docs.isEmpty());
        for (Map<String, Object> d : docs) {
            assertNotNull(d.get("apiVersion"), d.get("_file") + ": apiVersion");
            assertNotNull(d.get("kind"), d.get("_file") + ": kind");
            if (!"Kustomization".equals(d.get("kind"))) {
                assertNotNull(at(d, "metadata", "name"), d.get("_file") + ": metadata.name");
            }
        }
        List<String> listed = at(Manifests.ofKind("Kustomization").get(0), "resources");
        Set<String> files = docs.stream().map(d -> (String) d.get("_file")).filter(f -> !f.equals("kustomization.yaml"))
                .collect(Collectors.toSet());
        assertEquals(files, Set.copyOf(listed));
    }

    @Test
    void theTopicsAreExactlyTheDesignsWithItsPartitionsAndCompaction() {
        List<Map<String, Object>> topics = Manifests.ofKind("KafkaTopic");
        assertEquals(Arrays.stream(Topic.values()).map(Topic::defaultName).collect(Collectors.toSet()),
                topics.stream().map(t -> (String) at(t, "metadata", "name")).collect(Collectors.toSet()));
        String cluster = at(Manifests.ofKind("Kafka").get(0), "metadata", "name");
        for (Topic topic : Topic.values()) {
            Map<String, Object> t = topics.stream().filter(d -> topic.defaultName().equals(at(d, "metadata", "name")))
                    .findFirst().orElseThrow();
            assertEquals(cluster, at(t, "metadata", "labels", "strimzi.io/cluster"), topic + ": cluster label");
            assertEquals(topic.partitions(), ((Number) at(t, "spec", "partitions")).intValue(), topic + ": partitions");
            assertEquals(topic.compacted(), "compact".equals(at(t, "spec", "config", "cleanup.policy")), topic + ": compaction");
        }
    }

    @Test
    void everyKafkaClientNamesTheStrimziBootstrapService() {
        String bootstrap = at(Manifests.ofKind("Kafka").get(0), "metadata", "name") + "-kafka-bootstrap:9092";
        String all = Manifests.all().toString();
        assertTrue(all.contains(bootstrap));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[a-z0-9-]+-kafka-bootstrap:\\d+").matcher(all);
        while (m.find()) {
            assertEquals(bootstrap, m.group());
        }
    }
}
