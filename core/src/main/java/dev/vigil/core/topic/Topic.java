package dev.vigil.core.topic;

/**
 * Vigil's Kafka topics, with their default names and layout. Names are configuration
 * ({@code vigil.topic.<id>}); keys are card tokens except where noted, so one card's records stay
 * in order within a partition.
 */
public enum Topic {
    AUTHORIZATIONS("authorizations", 4, false, "authorizations from the ingress edge; key = card token"),
    DECISIONS("decisions", 4, false, "one decision per authorization, at-least-once; key = card token"),
    ALERTS("alerts", 2, false, "alerts for analysts; key = card token"),
    LABELS("labels", 2, false, "chargebacks and analyst verdicts; key = card token"),
    CARD_PROFILES("card-profiles", 4, true, "nightly card profiles, compacted; key = card token"),
    MERCHANT_PROFILES("merchant-profiles", 2, true, "nightly merchant profiles, compacted; key = merchant id"),
    MODEL_UPDATES("model-updates", 1, true, "the champion model record, compacted; one key"),
    CARD_WATCHES("card-watches", 2, false, "watches the detections job puts on cards, for the scoring job; key = card token"),
    AUTHORIZATIONS_DLQ("authorizations-dlq", 1, false, "rejected authorizations with the reason, digits masked"),
    AUTHORIZATIONS_LATE("authorizations-late", 1, false, "authorizations later than the allowed lateness"),
    ALERTS_DLQ("alerts-dlq", 1, false, "alerts the alert API rejected, with the reason, digits masked"),
    MODEL_UPDATES_DLQ("model-updates-dlq", 1, false, "model updates the scoring job refused, with the reason; key = line");

    private final String defaultName;
    private final int partitions;
    private final boolean compacted;
    private final String description;

    Topic(String defaultName, int partitions, boolean compacted, String description) {
        this.defaultName = defaultName;
        this.partitions = partitions;
        this.compacted = compacted;
        this.description = description;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The configured name: system property {@code vigil.topic.<default name>}, else the default. */
    public String topicName() {
        return System.getProperty("vigil.topic." + defaultName, defaultName);
    }

    public int partitions() {
        return partitions;
    }

    public boolean compacted() {
        return compacted;
    }

    public String description() {
        return description;
    }
}
