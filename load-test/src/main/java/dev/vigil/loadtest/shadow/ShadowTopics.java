package dev.vigil.loadtest.shadow;

import dev.vigil.testkit.kafka.TopicSetup;

import java.util.List;

/**
 * The shadow run's own topics: each engine writes its decisions and its feature log to topics of
 * its own, so that neither engine's output reaches the alert API, the lake or the other's report.
 * Their names live here only; {@code ./vigil shadow} reads them from {@code shadow prepare}.
 */
record ShadowTopics(String flinkDecisions, String sparkDecisions, String flinkFeatures, String sparkFeatures) {
    /** As many partitions as the decisions topic, so that a card's records stay in order on each. */
    static final int PARTITIONS = dev.vigil.core.topic.Topic.DECISIONS.partitions();

    static final ShadowTopics DEFAULT = new ShadowTopics("shadow-decisions-flink", "shadow-decisions-spark",
            "shadow-features-flink", "shadow-features-spark");

    List<String> all() {
        return List.of(flinkDecisions, sparkDecisions, flinkFeatures, sparkFeatures);
    }

    void ensure(String bootstrap) throws Exception {
        TopicSetup.ensureOwn(bootstrap, all(), PARTITIONS);
    }
}
