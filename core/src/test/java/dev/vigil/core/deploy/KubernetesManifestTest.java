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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifests as a whole, and core's topics (Topic) as Strimzi resources. */
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

    /** Every pod template of a workload, with where it is, for messages. */
    private static Map<String, Map<String, Object>> podSpecs() {
        Map<String, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> d : Manifests.ofKind("Deployment")) {
            out.put("Deployment " + at(d, "metadata", "name"), at(d, "spec", "template"));
        }
        for (Map<String, Object> f : Manifests.ofKind("FlinkDeployment")) {
            out.put("FlinkDeployment " + at(f, "metadata", "name"), at(f, "spec", "podTemplate"));
        }
        for (Map<String, Object> a : Manifests.ofKind("ScheduledSparkApplication")) {
            for (String role : List.of("driver", "executor")) {
                out.put("ScheduledSparkApplication " + at(a, "metadata", "name") + " " + role,
                        at(a, "spec", "template", role));
            }
        }
        return out;
    }

    @Test
    void everyPodRunsAsNonRootWithoutPrivilegeEscalationOrCapabilities() {
        Map<String, Map<String, Object>> pods = podSpecs();
        assertEquals(5, pods.size(), pods.keySet().toString());
        pods.forEach((where, pod) -> {
            boolean spark = where.startsWith("ScheduledSparkApplication");
            Map<String, Object> podContext = spark ? at(pod, "podSecurityContext") : at(pod, "spec", "securityContext");
            assertEquals(Boolean.TRUE, at(podContext, "runAsNonRoot"), where);
            assertEquals("RuntimeDefault", at(podContext, "seccompProfile", "type"), where);
            List<Map<String, Object>> containers = spark ? List.of(pod) : at(pod, "spec", "containers");
            for (Map<String, Object> c : containers) {
                Map<String, Object> context = at(c, "securityContext");
                assertNotNull(context, where + ": container securityContext");
                assertEquals(Boolean.FALSE, at(context, "allowPrivilegeEscalation"), where);
                assertEquals(List.of("ALL"), at(context, "capabilities", "drop"), where);
            }
        });
        Map<String, Object> api = at(Manifests.one("Deployment", "vigil-alert-api"), "spec", "template", "spec");
        assertEquals(Boolean.TRUE, at(api, "containers", 0, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, at(api, "automountServiceAccountToken"), "the API never calls Kubernetes");
    }

    @Test
    void ingressIsDeniedUnlessAPolicyAllowsItAndOnlyLabelledClientsReachTheBrokers() {
        List<Map<String, Object>> policies = Manifests.ofKind("NetworkPolicy");
        Map<String, Object> deny = Manifests.one("NetworkPolicy", "default-deny-ingress");
        assertEquals(Map.of(), at(deny, "spec", "podSelector"));
        assertEquals(List.of("Ingress"), at(deny, "spec", "policyTypes"));
        assertNull(at(deny, "spec", "ingress"), "allows nothing");

        Map<String, Object> peer = Map.of("podSelector", Map.of("matchLabels", Map.of("vigil.dev/kafka-client", "true")));
        for (Object l : (List<?>) at(Manifests.ofKind("Kafka").get(0), "spec", "kafka", "listeners")) {
            assertEquals(List.of(peer), at(l, "networkPolicyPeers"), "listener " + at(l, "name"));
        }
        // Every workload that names the broker carries the label, and the API's policy opens only
        // its public port to all; its management port and the database are closed to the rest.
        podSpecs().forEach((where, pod) -> {
            Map<String, Object> labels = where.startsWith("ScheduledSparkApplication") ? at(pod, "labels")
                    : at(pod, "metadata", "labels");
            assertEquals("true", labels == null ? null : labels.get("vigil.dev/kafka-client"), where);
        });
        Map<String, Object> api = Manifests.one("NetworkPolicy", "vigil-alert-api");
        assertEquals(List.of(Map.of("ports", List.of(Map.of("port", 8080, "protocol", "TCP")))),
                ((List<?>) at(api, "spec", "ingress")).stream().filter(r -> ((Map<?, ?>) r).get("from") == null).toList());
        Map<String, Object> db = Manifests.one("NetworkPolicy", "vigil-alerts-db");
        assertEquals(Map.of("app", "vigil-alert-api"), at(db, "spec", "ingress", 0, "from", 0, "podSelector", "matchLabels"));
        assertEquals(5, policies.size());
    }

    @Test
    void theApisServiceCarriesThePublicPortOnlyAndStaysInsideTheCluster() {
        Map<String, Object> service = Manifests.one("Service", "vigil-alert-api");
        assertEquals("ClusterIP", at(service, "spec", "type"), "TLS terminates at the ingress, not on a node port");
        List<?> ports = at(service, "spec", "ports");
        assertEquals(1, ports.size());
        assertEquals("http", at(ports.get(0), "targetPort"));
        Map<String, Object> pod = at(Manifests.one("Deployment", "vigil-alert-api"), "spec", "template");
        assertEquals("management", at(pod, "spec", "containers", 0, "readinessProbe", "httpGet", "port"));
        assertEquals("management", at(pod, "spec", "containers", 0, "livenessProbe", "httpGet", "port"));
        assertEquals("8081", at(pod, "metadata", "annotations", "prometheus.io/port"));
    }

    @Test
    void theScorerTrustsOnlyTheTrainersKeyAndOnlyTheTrainerHoldsIt() {
        Map<String, Object> trust = Map.of("configMapKeyRef", Map.of("name", "vigil-model-trust", "key", "trusted-keys"));
        Map<String, Object> flink = at(Manifests.one("FlinkDeployment", "vigil-realtime-scoring"), "spec", "podTemplate",
                "spec", "containers", 0);
        assertEquals(trust, env(at(flink, "env")).get("VIGIL_MODEL_TRUSTED_KEYS"));

        Map<String, Object> training = at(Manifests.one("ScheduledSparkApplication", "vigil-nightly"),
                "spec", "template");
        Map<String, Object> driverEnv = env(at(training, "driver", "env"));
        assertEquals(trust, driverEnv.get("VIGIL_MODEL_TRUSTED_KEYS"));
        String keyFile = (String) driverEnv.get("VIGIL_MODEL_SIGNING_KEY_FILE");
        Map<String, Object> mount = at(training, "driver", "volumeMounts", 0);
        assertTrue(keyFile.startsWith(at(mount, "mountPath") + "/"), keyFile);
        assertEquals(Boolean.TRUE, mount.get("readOnly"));
        Map<String, Object> volume = at(training, "volumes", 0);
        assertEquals(mount.get("name"), volume.get("name"));
        assertEquals("vigil-model-signing", at(volume, "secret", "secretName"));
        assertEquals(0440, ((Number) at(volume, "secret", "defaultMode")).intValue(), "not readable by others");
        assertEquals(185, ((Number) at(training, "driver", "podSecurityContext", "fsGroup")).intValue(),
                "the group that may read it is the Spark user's");

        // No other workload mounts or names the signing key.
        String others = Manifests.all().stream().filter(d -> !("ScheduledSparkApplication".equals(d.get("kind"))
                        && "vigil-nightly".equals(at(d, "metadata", "name"))))
                .map(Object::toString).collect(Collectors.joining());
        assertFalse(others.contains("vigil-model-signing"), "only the trainer holds the signing key");
    }

    private static Map<String, Object> env(List<Map<String, Object>> entries) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (Map<String, Object> e : entries) {
            out.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : at(e, "valueFrom"));
        }
        return out;
    }

    @Test
    void everyServiceLogsInToKafkaAndItsAclsAreExactlyCoresAccessTable() {
        Map<String, Object> kafka = Manifests.ofKind("Kafka").get(0);
        assertEquals("simple", at(kafka, "spec", "kafka", "authorization", "type"));
        for (Object l : (List<?>) at(kafka, "spec", "kafka", "listeners")) {
            assertEquals("scram-sha-512", at(l, "authentication", "type"), "listener " + at(l, "name"));
        }
        List<Map<String, Object>> users = Manifests.ofKind("KafkaUser");
        assertEquals(dev.vigil.core.topic.KafkaAccess.ALL.stream().map(dev.vigil.core.topic.KafkaAccess::user)
                .collect(Collectors.toSet()), users.stream().map(u -> (String) at(u, "metadata", "name")).collect(Collectors.toSet()));
        for (dev.vigil.core.topic.KafkaAccess access : dev.vigil.core.topic.KafkaAccess.ALL) {
            Map<String, Object> user = Manifests.one("KafkaUser", access.user());
            Set<String> declared = new java.util.HashSet<>();
            for (Object acl : (List<?>) at(user, "spec", "authorization", "acls")) {
                for (Object op : (List<?>) at(acl, "operations")) {
                    declared.add(at(acl, "resource", "type") + ":" + at(acl, "resource", "name") + ":"
                            + at(acl, "resource", "patternType") + ":" + op);
                }
            }
            Set<String> expected = new java.util.HashSet<>();
            access.reads().forEach(t -> {
                expected.add("topic:" + t.defaultName() + ":literal:Read");
                expected.add("topic:" + t.defaultName() + ":literal:Describe");
            });
            access.writes().forEach(t -> {
                expected.add("topic:" + t.defaultName() + ":literal:Write");
                expected.add("topic:" + t.defaultName() + ":literal:Describe");
            });
            if (access.groupPrefix() != null) {
                expected.add("group:" + access.groupPrefix() + ":prefix:Read");
            }
            assertEquals(expected, declared, access.user());
        }
        // Each workload logs in as its own user, with the password from that user's Secret.
        Map<String, String> expectedUser = Map.of(
                "Deployment vigil-alert-api", "vigil-alert-api",
                "FlinkDeployment vigil-realtime-scoring", "vigil-scoring",
                "FlinkDeployment vigil-detections", "vigil-detections",
                "ScheduledSparkApplication vigil-nightly driver", "vigil-nightly",
                "ScheduledSparkApplication vigil-nightly executor", "vigil-nightly");
        podSpecs().forEach((where, pod) -> {
            List<Map<String, Object>> containers = where.startsWith("ScheduledSparkApplication") ? List.of(pod)
                    : at(pod, "spec", "containers");
            List<Map<String, Object>> entries = at(containers.get(0), "env");
            Map<String, Object> env = entries == null ? Map.of() : env(entries);
            String user = expectedUser.get(where);
            if (user == null) {
                assertNull(env.get("VIGIL_KAFKA_SASL_USERNAME"), where + " needs no Kafka login");
                return;
            }
            assertEquals("SASL_PLAINTEXT", env.get("VIGIL_KAFKA_SECURITY_PROTOCOL"), where);
            assertEquals(user, env.get("VIGIL_KAFKA_SASL_USERNAME"), where);
            assertEquals(Map.of("secretKeyRef", Map.of("name", user, "key", "password")),
                    env.get("VIGIL_KAFKA_SASL_PASSWORD"), where);
        });
    }
}
