package dev.vigil.core.topic;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientSecurityTest {

    @Test
    void plaintextByDefaultScramWhenAsked() {
        assertEquals(Map.of(), KafkaClientSecurity.from(Map.of()));
        Map<String, String> p = KafkaClientSecurity.from(Map.of("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "VIGIL_KAFKA_SASL_USERNAME", "vigil-scoring", "VIGIL_KAFKA_SASL_PASSWORD", "s3cret",
                "VIGIL_KAFKA_TRUSTSTORE_FILE", "/etc/kafka/ca.crt"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertTrue(p.get("sasl.jaas.config").contains("username=\"vigil-scoring\" password=\"s3cret\";"));
        assertEquals("PEM", p.get("ssl.truststore.type"));
    }

    @Test
    void aMissingOrUnquotablePasswordIsRefused() {
        assertThrows(IllegalStateException.class, () -> KafkaClientSecurity.from(Map.of(
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "VIGIL_KAFKA_SASL_USERNAME", "u")));
        assertThrows(IllegalStateException.class, () -> KafkaClientSecurity.from(Map.of(
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "VIGIL_KAFKA_SASL_USERNAME", "u",
                "VIGIL_KAFKA_SASL_PASSWORD", "a\" b")));
        assertThrows(IllegalStateException.class, () -> KafkaClientSecurity.from(Map.of(
                "VIGIL_KAFKA_SECURITY_PROTOCOL", "SSL")));
    }
}
