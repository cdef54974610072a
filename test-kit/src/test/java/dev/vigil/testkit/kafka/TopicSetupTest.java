package dev.vigil.testkit.kafka;

import dev.vigil.core.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real broker: core's topics, with compaction where Topic says, created idempotently. */
class TopicSetupTest {

    @Test
    void createsEveryTopicOnceWithItsLayout() throws Exception {
        String bootstrap = RealKafka.bootstrap();
        String prefix = "ts" + System.nanoTime() + "-";
        for (Topic t : Topic.values()) {
            System.setProperty("vigil.topic." + t.defaultName(), prefix + t.defaultName());
        }
        try {
            List<String> first = TopicSetup.ensure(bootstrap);
            assertEquals(Topic.values().length, first.size());
            assertTrue(first.stream().allMatch(l -> l.contains("created")), first.toString());
            List<String> second = TopicSetup.ensure(bootstrap);
            assertTrue(second.stream().allMatch(l -> l.contains("exists")), second.toString());
            try (Admin admin = RealKafka.admin()) {
                for (Topic t : Topic.values()) {
                    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, t.topicName());
                    Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(r)).all().get();
                    String policy = configs.get(r).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                    assertEquals(t.compacted() ? "compact" : "delete", policy, t.topicName());
                    int partitions = admin.describeTopics(List.of(t.topicName())).allTopicNames().get()
                            .get(t.topicName()).partitions().size();
                    assertEquals(t.partitions(), partitions, t.topicName());
                }
            }
        } finally {
            for (Topic t : Topic.values()) {
                System.clearProperty("vigil.topic." + t.defaultName());
            }
        }
    }
}
