package dev.vigil.core.topic;

import java.util.EnumSet;
import java.util.Set;

import static dev.vigil.core.topic.Topic.ALERTS;
import static dev.vigil.core.topic.Topic.ALERTS_DLQ;
import static dev.vigil.core.topic.Topic.AUTHORIZATIONS;
import static dev.vigil.core.topic.Topic.AUTHORIZATIONS_DLQ;
import static dev.vigil.core.topic.Topic.AUTHORIZATIONS_LATE;
import static dev.vigil.core.topic.Topic.CARD_PROFILES;
import static dev.vigil.core.topic.Topic.CARD_WATCHES;
import static dev.vigil.core.topic.Topic.DECISIONS;
import static dev.vigil.core.topic.Topic.LABELS;
import static dev.vigil.core.topic.Topic.MERCHANT_PROFILES;
import static dev.vigil.core.topic.Topic.MODEL_UPDATES;
import static dev.vigil.core.topic.Topic.MODEL_UPDATES_DLQ;

/**
 * Which service may read and write which topic: the one table the Kafka users' ACLs are made from
 * (deploy/kubernetes/kafka.yaml, held equal to it by a test) and that a secured broker is tested
 * against. A service gets exactly what its code uses; in particular only the trainer writes
 * {@code model-updates} and only the alert API writes {@code labels}.
 *
 * @param user        the Kafka user's name
 * @param reads       topics it consumes
 * @param writes      topics it produces to
 * @param groupPrefix the consumer groups it may use (a prefix), or null when it commits no offsets
 */
public record KafkaAccess(String user, Set<Topic> reads, Set<Topic> writes, String groupPrefix) {

    /** The operator's ingress edge: tokenizes and writes authorizations, nothing else. */
    public static final KafkaAccess INGRESS = new KafkaAccess("vigil-ingress", Set.of(), Set.of(AUTHORIZATIONS), null);
    /** The Flink scoring job: decides from authorizations, profiles, the champion, live labels and the cards' watches. */
    public static final KafkaAccess SCORING = new KafkaAccess("vigil-scoring",
            EnumSet.of(AUTHORIZATIONS, CARD_PROFILES, MERCHANT_PROFILES, MODEL_UPDATES, LABELS, CARD_WATCHES),
            EnumSet.of(DECISIONS, ALERTS, AUTHORIZATIONS_DLQ, AUTHORIZATIONS_LATE, MODEL_UPDATES_DLQ), "vigil-scoring");
    /**
     * The Flink detections job: reads authorizations (its consumer group is the scoring job's name
     * plus {@code -detections}), writes its alerts and the cards' watches, the only writer of
     * {@code card-watches} (docs/decisions/0027).
     */
    public static final KafkaAccess DETECTIONS = new KafkaAccess("vigil-detections", EnumSet.of(AUTHORIZATIONS),
            EnumSet.of(ALERTS, CARD_WATCHES), "vigil-scoring-detections");
    /**
     * The night, one process: the lake lands the streams and publishes profiles (Spark's Kafka source
     * names its groups), then training reads the champion and names the next one.
     */
    public static final KafkaAccess NIGHTLY = new KafkaAccess("vigil-nightly",
            EnumSet.of(AUTHORIZATIONS, DECISIONS, LABELS, MODEL_UPDATES),
            EnumSet.of(CARD_PROFILES, MERCHANT_PROFILES, MODEL_UPDATES), "spark-kafka-source-");
    /** The alert API: stores alerts, publishes analysts' labels. */
    public static final KafkaAccess ALERT_API = new KafkaAccess("vigil-alert-api", EnumSet.of(ALERTS),
            EnumSet.of(LABELS, ALERTS_DLQ), "vigil-alert-api");

    public static final java.util.List<KafkaAccess> ALL = java.util.List.of(INGRESS, SCORING, DETECTIONS, NIGHTLY, ALERT_API);
}
