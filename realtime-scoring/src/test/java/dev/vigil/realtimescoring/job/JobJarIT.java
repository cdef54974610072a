package dev.vigil.realtimescoring.job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job jar a Flink cluster is given: runnable, self-contained for what Flink does not ship, and free of Flink. */
class JobJarIT {

    @Test
    void theJobJarCarriesTheJobCoreAndConnectorsButNotFlink() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no job jar in target/ (mvn package makes it)"));
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("dev.vigil.realtimescoring.job.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String needed : new String[]{"dev/vigil/realtimescoring/job/ScoringJob.class",
                    "dev/vigil/core/feature/CardFold.class", "dev/vigil/core/model/TreeModel.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class", "org/apache/flink/cep/CEP.class",
                    "com/fasterxml/jackson/core/JsonParser.class", "picocli/CommandLine.class"}) {
                assertNotNull(j.getEntry(needed), needed);
            }
            for (String absent : new String[]{
                    "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                    "org/apache/flink/runtime/taskmanager/Task.class", "ml/dmlc/xgboost4j/java/Booster.class",
                    "org/apache/logging/log4j/core/Logger.class"}) {
                assertNull(j.getEntry(absent), "must not be shaded in: " + absent);
            }
            assertTrue(Files.size(jar) < 40L * 1024 * 1024, "job jar is " + Files.size(jar) + " bytes");
        }
    }
}
