package dev.vigil.realtimescoring.job;

import dev.vigil.realtimescoring.io.KafkaIo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobOptionsTest {

    @Test
    void noArgumentsGiveTheMeasuredDefaults() {
        JobOptions o = JobOptions.parse();
        assertEquals(System.getProperty("vigil.kafka.bootstrap", "127.0.0.1:9092"), o.bootstrap);
        assertEquals("world", o.line);
        assertEquals("vigil-scoring", o.group);
        assertEquals("30s", o.checkpointInterval);
        assertEquals("lz4", o.sinkCompression);
        assertEquals(16 * 1024, o.fetchMinBytes);
        assertEquals(5, o.fetchMaxWaitMs);
        assertEquals(100, o.detectionFetchMaxWaitMs);
        assertEquals(100, o.detectionBufferTimeoutMs);
        assertEquals(JobOptions.Role.ALL, o.job);
        assertEquals(dev.vigil.core.topic.Topic.CARD_WATCHES.topicName(), o.watchesTopic);
        assertNull(o.alertsFrom);
        assertNull(o.fromSavepoint);
        assertNull(o.cardKeyId);
        assertEquals(2, o.parallelism);
        assertEquals(5, o.bufferTimeoutMs);
        assertEquals(2, o.sinkLingerMs);
        assertEquals(Duration.ofMinutes(5), o.outOfOrderness);
        assertEquals(Duration.ofSeconds(10), o.detectionSlack);
        assertTrue(o.patternsOn());
        assertEquals(KafkaIo.StartFrom.parse("committed"), o.startFrom);
        assertTrue(o.checkpoints.startsWith("file:") && o.checkpoints.endsWith("checkpoints"), o.checkpoints);
        assertEquals(Map.of(), o.flinkSettings());
    }

    @Test
    void valuesAreReadInEitherSpelling() {
        JobOptions o = JobOptions.parse("--patterns", "OFF", "--line=sparkov", "--out-of-orderness", "90s",
                "--alerts-from", "2026-12-01", "--flink-conf", "a.b=1, c.d = x", "--start-from", "at:1700000000000");
        assertFalse(o.patternsOn());
        assertEquals("sparkov", o.line);
        assertEquals(Duration.ofSeconds(90), o.outOfOrderness);
        assertEquals(LocalDate.of(2026, 12, 1), o.alertsFrom);
        assertEquals(Map.of("a.b", "1", "c.d", "x"), o.flinkSettings());
        assertEquals(KafkaIo.StartFrom.parse("at:1700000000000"), o.startFrom);
        assertEquals("2027-01", JobOptions.parse("--card-key-id", "2027-01").cardKeyId);
    }

    /** ./vigil and the cluster scripts pass their defaults first and the user's arguments after them. */
    @Test
    void aRepeatedOptionTakesItsLastValue() {
        JobOptions o = JobOptions.parse("--checkpoints", "file:///default", "--line", "world", "--checkpoints", "s3://vigil/cp");
        assertEquals("s3://vigil/cp", o.checkpoints);
    }

    @Test
    void aTypoOrABadValueIsRefusedRatherThanRunOnADefault() {
        assertThrows(CommandLine.ParameterException.class, () -> JobOptions.parse("--paterns", "off"));
        assertThrows(CommandLine.ParameterException.class, () -> JobOptions.parse("--patterns", "maybe"));
        assertThrows(CommandLine.ParameterException.class, () -> JobOptions.parse("--parallelism", "two"));
        assertThrows(CommandLine.ParameterException.class, () -> JobOptions.parse("--line"));
        assertThrows(CommandLine.ParameterException.class, () -> JobOptions.parse("stray"));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--flink-conf", "novalue").flinkSettings());
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--card-key-id", "not a key id"));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--job", "detections", "--patterns", "off"),
                "a detections job without its patterns would run nothing");
        assertEquals(JobOptions.Role.SCORING, JobOptions.parse("--job", "Scoring").job);
    }

    /** The names deployments pass: renaming one breaks every manifest and script that uses it. */
    @Test
    void theOptionNamesAreTheOnesDeploymentsUse() {
        assertEquals(new TreeSet<>(Set.of("bootstrap", "line", "parallelism", "checkpoints", "checkpoint-interval",
                "buffer-timeout-ms", "out-of-orderness", "detection-slack", "patterns", "group", "start-from",
                "alerts-from", "sink-linger-ms", "fetch-min-bytes", "fetch-max-wait-ms", "flink-conf", "sink-compression",
                "detection-buffer-timeout-ms", "detection-fetch-max-wait-ms", "from-savepoint", "card-key-id",
                "decisions-topic", "features-topic", "alerts-topic", "late-topic", "job", "watches-topic")), Main.OPTIONS);
    }

    @Test
    void decisionsGoToTheDecisionsTopicAndNoFeatureLogUnlessAShadowRunAsks() {
        JobOptions defaults = JobOptions.parse();
        assertEquals(dev.vigil.core.topic.Topic.DECISIONS.topicName(), defaults.decisionsTopic);
        assertEquals(null, defaults.featuresTopic);
        assertEquals(dev.vigil.core.topic.Topic.ALERTS.topicName(), defaults.alertsTopic);
        assertEquals(dev.vigil.core.topic.Topic.AUTHORIZATIONS_LATE.topicName(), defaults.lateTopic);
        JobOptions shadow = JobOptions.parse("--decisions-topic", "shadow-decisions-flink", "--features-topic",
                "shadow-features-flink");
        assertEquals("shadow-decisions-flink", shadow.decisionsTopic);
        assertEquals("shadow-features-flink", shadow.featuresTopic);
    }
}
