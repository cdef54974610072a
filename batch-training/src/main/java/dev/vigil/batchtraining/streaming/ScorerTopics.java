package dev.vigil.batchtraining.streaming;

import dev.vigil.core.topic.Topic;

import java.io.Serializable;

/**
 * Where a Spark scorer reads and writes, and from when it reads.
 *
 * @param features  where each decision's feature vector and score go as core's {@code FeatureLog}
 *                  lines, or null (the default: only the shadow run compares them)
 * @param startAtMs the first authorizations read are those the broker stamped at or after this
 *                  epoch ms (the shadow run starts both engines at one instant); 0: the newest on
 */
public record ScorerTopics(String authorizations, String decisions, String features, String modelUpdates,
                           String cardProfiles, String merchantProfiles, long startAtMs) implements Serializable {

    /** core's topics (names are configuration), from the newest authorization on, no feature log. */
    public static ScorerTopics defaults() {
        return of(Topic.AUTHORIZATIONS.topicName(), Topic.DECISIONS.topicName(), Topic.MODEL_UPDATES.topicName());
    }

    /** Given topics (tests inject their own), core's profile topics, from the newest authorization on, no feature log. */
    public static ScorerTopics of(String authorizations, String decisions, String modelUpdates) {
        return new ScorerTopics(authorizations, decisions, null, modelUpdates, Topic.CARD_PROFILES.topicName(),
                Topic.MERCHANT_PROFILES.topicName(), 0);
    }

    public ScorerTopics withDecisions(String topic) {
        return new ScorerTopics(authorizations, topic, features, modelUpdates, cardProfiles, merchantProfiles, startAtMs);
    }

    public ScorerTopics withFeatures(String topic) {
        return new ScorerTopics(authorizations, decisions, topic, modelUpdates, cardProfiles, merchantProfiles, startAtMs);
    }

    public ScorerTopics startingAt(long epochMs) {
        return new ScorerTopics(authorizations, decisions, features, modelUpdates, cardProfiles, merchantProfiles, epochMs);
    }
}
