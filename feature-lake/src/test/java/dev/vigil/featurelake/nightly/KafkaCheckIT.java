package dev.vigil.featurelake.nightly;

import dev.vigil.testkit.kafka.RealKafka;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks a stage makes before a long run, against a real broker. */
class KafkaCheckIT {

    @Test
    void aMissingTopicFailsAtOnceAndSaysHowToCreateIt() throws Exception {
        String bootstrap = RealKafka.bootstrap();
        String present = RealKafka.newTopic("kafka-check", 1);

        assertDoesNotThrow(() -> KafkaCheck.requireTopic(bootstrap, present));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaCheck.requireTopic(bootstrap, present + "-absent"));
        assertTrue(e.getMessage().contains("has no topic " + present + "-absent"), e.getMessage());
        assertTrue(e.getMessage().contains("./vigil topics"), e.getMessage());
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNotReachable() {
        assertFalse(KafkaCheck.reachable("127.0.0.1:1"));
    }
}
