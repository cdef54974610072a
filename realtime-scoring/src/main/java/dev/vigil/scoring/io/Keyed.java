package dev.vigil.scoring.io;

/**
 * A record ready for a Kafka topic: key, encoded value, and (dead letters only) the reason. The
 * job encodes each output once where it is made; sinks only copy bytes.
 */
public class Keyed {
    public String key;
    public byte[] value;
    public String reason;

    public Keyed() {
    }

    public Keyed(String key, byte[] value, String reason) {
        this.key = key;
        this.value = value;
        this.reason = reason;
    }

    public static Keyed of(String key, byte[] value) {
        return new Keyed(key, value, null);
    }
}
