package dev.vigil.testkit.kafka;

import dev.vigil.core.topic.KafkaClientSecurity;
import dev.vigil.core.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Creates core's topics (idempotent): partitions and compaction as {@link Topic} says. */
public final class TopicSetup {
    private TopicSetup() {
    }

    /** Creates what is missing; returns one line per topic saying what was done. */
    public static List<String> ensure(String bootstrap) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> report = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (existing.contains(t.topicName())) {
                    continue;
                }
                NewTopic nt = new NewTopic(t.topicName(), t.partitions(), (short) 1);
                if (t.compacted()) {
                    nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
                            TopicConfig.SEGMENT_MS_CONFIG, "3600000"));
                }
                missing.add(nt);
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            Map<String, TopicDescription> described = admin.describeTopics(
                    java.util.Arrays.stream(Topic.values()).map(Topic::topicName).toList()).allTopicNames().get();
            for (Topic t : Topic.values()) {
                boolean created = missing.stream().anyMatch(n -> n.name().equals(t.topicName()));
                int partitions = described.get(t.topicName()).partitions().size();
                report.add(String.format("%-22s %-8s %2d partitions%s  %s", t.topicName(), created ? "created" : "exists",
                        partitions, t.compacted() ? ", compacted" : "", partitions != t.partitions()
                                ? "(expected " + t.partitions() + ")" : ""));
            }
            return report;
        }
    }

    /**
     * A suite's own topics ({@code names}, those missing), {@code partitions} each, kept a day: the
     * shadow run's decisions and feature logs, which no service reads after the report.
     */
    public static void ensureOwn(String bootstrap, List<String> names, int partitions)
            throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrap)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1)
                            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(24 * 3600_000L))))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.putAll(KafkaClientSecurity.fromEnvironment());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }
}
