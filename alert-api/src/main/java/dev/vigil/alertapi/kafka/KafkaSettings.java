package dev.vigil.alertapi.kafka;

import dev.vigil.core.topic.Topic;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Where the service meets Kafka. The broker comes from {@code vigil.kafka.bootstrap} (./vigil sets
 * it); topic names default to core's ({@link Topic}) and can be overridden per instance.
 */
@Singleton
public final class KafkaSettings {
    private final String bootstrap;
    private final String alertsTopic;
    private final String labelsTopic;
    private final String alertsDlqTopic;
    private final String consumerGroup;

    public KafkaSettings(@Value("${vigil.kafka.bootstrap:127.0.0.1:9092}") String bootstrap,
                         @Value("${vigil.api.topics.alerts:}") String alerts,
                         @Value("${vigil.api.topics.labels:}") String labels,
                         @Value("${vigil.api.topics.alerts-dlq:}") String alertsDlq,
                         @Value("${vigil.api.consumer-group:vigil-alert-api}") String consumerGroup) {
        this.bootstrap = bootstrap;
        this.alertsTopic = alerts.isBlank() ? Topic.ALERTS.topicName() : alerts;
        this.labelsTopic = labels.isBlank() ? Topic.LABELS.topicName() : labels;
        this.alertsDlqTopic = alertsDlq.isBlank() ? Topic.ALERTS_DLQ.topicName() : alertsDlq;
        this.consumerGroup = consumerGroup;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String alertsTopic() {
        return alertsTopic;
    }

    public String labelsTopic() {
        return labelsTopic;
    }

    public String alertsDlqTopic() {
        return alertsDlqTopic;
    }

    public String consumerGroup() {
        return consumerGroup;
    }
}
