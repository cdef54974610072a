package dev.vigil.realtimescoring.io;

/**
 * A record ready for a Kafka topic: key, encoded value, and (dead letters only) the reason. The
 * job encodes each output once where it is made; sinks only copy bytes.
 */
public class TopicRecord {
    public String key;
    public byte[] value;
    public String reason;

    public TopicRecord() {
    }

    public TopicRecord(String key, byte[] value, String reason) {
        this.key = key;
        this.value = value;
        this.reason = reason;
    }

    public static TopicRecord of(String key, byte[] value) {
        return new TopicRecord(key, value, null);
    }
}
