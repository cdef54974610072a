package dev.vigil.realtimescoring.io;

/**
 * A Kafka record as it arrived, before anything was trusted: bytes, where it came from, and the
 * wall-clock time the job read it (epoch microseconds), from which a decision's processing time runs.
 */
public class RawRecord {
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;
    public long receivedAtMicros;

    public RawRecord() {
    }

    public RawRecord(byte[] value, String topic, int partition, long offset, long receivedAtMicros) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.receivedAtMicros = receivedAtMicros;
    }
}
