package dev.vigil.featurelake.bronze;

import dev.vigil.core.event.Authorization;
import dev.vigil.core.event.Decision;
import dev.vigil.core.event.Label;
import dev.vigil.core.json.AuthorizationCodec;
import dev.vigil.core.json.Decoded;
import dev.vigil.core.json.DecisionCodec;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.core.topic.Topic;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * The streams landed in bronze: the topic each comes from, its row, the column it is partitioned
 * by, and what makes two records the same (bronze keeps the first).
 */
public enum BronzeStream {

    AUTHORIZATIONS(Topic.AUTHORIZATIONS, AuthorizationRows.SCHEMA, "event_date", List.of("authorization_id"),
            "t.authorization_id = s.authorization_id") {
        @Override
        Object[] parse(byte[] bytes, String[] reason) {
            Decoded<Authorization> d = AuthorizationCodec.INSTANCE.decode(bytes);
            return d.isOk() ? AuthorizationRows.values(d.value()) : reject(d.reason(), reason);
        }
    },

    /** A redelivered decision is a duplicate when id, score, action, reasons and model match. */
    DECISIONS(Topic.DECISIONS, DecisionRows.SCHEMA, "event_date",
            List.of("authorization_id", "score", "action", "reasons", "model_version"),
            "t.authorization_id = s.authorization_id AND t.score = s.score AND t.action = s.action"
                    + " AND t.reasons = s.reasons AND t.model_version <=> s.model_version") {
        @Override
        Object[] parse(byte[] bytes, String[] reason) {
            Decoded<Decision> d = DecisionCodec.INSTANCE.decode(bytes);
            return d.isOk() ? DecisionRows.values(d.value()) : reject(d.reason(), reason);
        }
    },

    /** One label per authorization and source (the id says so); a re-sent label is a duplicate. */
    LABELS(Topic.LABELS, LabelRows.SCHEMA, "label_date", List.of("label_id"), "t.label_id = s.label_id") {
        @Override
        Object[] parse(byte[] bytes, String[] reason) {
            Decoded<Label> d = LabelCodec.INSTANCE.decode(bytes);
            return d.isOk() ? LabelRows.values(d.value()) : reject(d.reason(), reason);
        }
    };

    private final Topic topic;
    private final StructType schema;
    private final String partitionColumn;
    private final List<String> identity;
    private final String sameRecord;

    BronzeStream(Topic topic, StructType schema, String partitionColumn, List<String> identity, String sameRecord) {
        this.topic = topic;
        this.schema = schema;
        this.partitionColumn = partitionColumn;
        this.identity = identity;
        this.sameRecord = sameRecord;
    }

    /** The record's column values, or null with {@code reason[0]} set when the bytes are rejected. */
    abstract Object[] parse(byte[] bytes, String[] reason);

    private static Object[] reject(String why, String[] reason) {
        reason[0] = why;
        return null;
    }

    public String table() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public Topic topic() {
        return topic;
    }

    /** The record's columns (without the arrival columns bronze adds). */
    public StructType recordSchema() {
        return schema;
    }

    public String partitionColumn() {
        return partitionColumn;
    }

    public List<String> identity() {
        return identity;
    }

    /** MERGE condition (target t, source s) that matches a record bronze already holds. */
    public String sameRecord() {
        return sameRecord;
    }
}
