package dev.vigil.loadtest.shadow;

import dev.vigil.testkit.kafka.TopicSetup;

import java.util.List;

/**
 * The shadow run's own topics: each engine writes its decisions and its feature log to topics of
 * its own, so that neither engine's output reaches the alert API, the lake or the other's report.
 * Their names live here only; {@code ./vigil shadow} reads them from {@code shadow prepare}.
 */
record ShadowTopics(String flinkDecisions, String sparkDecisions, String flinkFeatures, String sparkFeatures,
                    String flinkAlerts, String flinkLate, String flinkWatches) {
    /** As many partitions as the decisions topic, so that a card's records stay in order on each. */
    static final int PARTITIONS = dev.vigil.core.topic.Topic.DECISIONS.partitions();

    static final ShadowTopics DEFAULT = new ShadowTopics("shadow-decisions-flink", "shadow-decisions-spark",
            "shadow-features-flink", "shadow-features-spark", "shadow-alerts-flink", "shadow-late-flink", "shadow-watches-flink");

    /** The topics the parity tool reads. */
    List<String> compared() {
        return List.of(flinkDecisions, sparkDecisions, flinkFeatures, sparkFeatures);
    }

    /**
     * Every shadow topic: also where the job's alerts and late authorizations go, which no service
     * reads, and the watches its detections put on cards, which only the shadow's scoring job reads.
     */
    void ensure(String bootstrap) throws Exception {
        TopicSetup.ensureOwn(bootstrap, List.of(flinkDecisions, sparkDecisions, flinkFeatures, sparkFeatures, flinkAlerts,
                flinkLate, flinkWatches), PARTITIONS);
    }
}
