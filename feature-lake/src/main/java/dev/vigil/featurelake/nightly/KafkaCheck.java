package dev.vigil.featurelake.nightly;

import dev.vigil.core.topic.KafkaClientSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Whether a stage should talk to Kafka, given its mode and whether the broker answers. */
public final class KafkaCheck {

    private KafkaCheck() {
    }

    public static boolean use(Nightly.KafkaMode mode, String bootstrap, String stage) {
        if (mode == Nightly.KafkaMode.OFF) {
            return false;
        }
        boolean up = reachable(bootstrap);
        if (!up && mode == Nightly.KafkaMode.ON) {
            throw new IllegalStateException("Kafka at " + bootstrap + " is not reachable and --" + stage
                    + " on requires it (start it with ./vigil kafka start, or pass --" + stage + " off)");
        }
        return up;
    }

    /**
     * Fails at once, with the fix, when the broker answers but lacks {@code topic}: a producer would
     * only say "not present in metadata" after a minute, at the end of a long run.
     */
    public static void requireTopic(String bootstrap, String topic) {
        boolean present;
        try (Admin admin = quickAdmin(bootstrap)) {
            present = admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the topics of Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
        if (!present) {
            throw new IllegalStateException("Kafka at " + bootstrap + " has no topic " + topic
                    + " (./vigil topics creates Vigil's topics)");
        }
    }

    public static boolean reachable(String bootstrap) {
        try (Admin admin = quickAdmin(bootstrap)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(4000)).clusterId().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** An admin client that gives up within seconds: these checks run before a stage, not during it. */
    private static Admin quickAdmin(String bootstrap) {
        Map<String, Object> config = new java.util.HashMap<>(KafkaClientSecurity.fromEnvironment());
        config.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000));
        return Admin.create(config);
    }
}
