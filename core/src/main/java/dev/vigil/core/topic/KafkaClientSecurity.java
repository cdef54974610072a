package dev.vigil.core.topic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a Kafka client of this project authenticates: the same for every client, from the environment.
 * {@code VIGIL_KAFKA_SECURITY_PROTOCOL} is PLAINTEXT (the default, the local broker), SASL_PLAINTEXT
 * or SASL_SSL; with SASL, {@code VIGIL_KAFKA_SASL_USERNAME} and {@code VIGIL_KAFKA_SASL_PASSWORD}
 * log in with SCRAM-SHA-512 (what Strimzi's KafkaUser gives), and {@code VIGIL_KAFKA_TRUSTSTORE_FILE}
 * (PEM) names the CA for SASL_SSL. Returned as client properties; Spark's options take them with the
 * {@code kafka.} prefix.
 */
public final class KafkaClientSecurity {
    private KafkaClientSecurity() {
    }

    public static Map<String, String> fromEnvironment() {
        return from(System.getenv());
    }

    public static Map<String, String> from(Map<String, String> env) {
        String protocol = env.getOrDefault("VIGIL_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").trim();
        Map<String, String> props = new LinkedHashMap<>();
        switch (protocol) {
            case "PLAINTEXT" -> {
                return props;
            }
            case "SASL_PLAINTEXT", "SASL_SSL" -> props.put("security.protocol", protocol);
            default -> throw new IllegalStateException("VIGIL_KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SASL_PLAINTEXT "
                    + "or SASL_SSL, not " + protocol);
        }
        String user = required(env, "VIGIL_KAFKA_SASL_USERNAME");
        String password = required(env, "VIGIL_KAFKA_SASL_PASSWORD");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        String truststore = env.get("VIGIL_KAFKA_TRUSTSTORE_FILE");
        if (truststore != null && !truststore.isBlank()) {
            props.put("ssl.truststore.type", "PEM");
            props.put("ssl.truststore.location", truststore);
        }
        return props;
    }

    /** The same, as Spark's Kafka source and sink options. */
    public static Map<String, String> sparkOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        fromEnvironment().forEach((k, v) -> out.put("kafka." + k, v));
        return out;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is needed with VIGIL_KAFKA_SECURITY_PROTOCOL="
                    + env.get("VIGIL_KAFKA_SECURITY_PROTOCOL"));
        }
        if (v.contains("\"") || v.contains("\\")) {
            throw new IllegalStateException(name + " must not contain quotes or backslashes");
        }
        return v;
    }
}
