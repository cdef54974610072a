package dev.vigil.loadtest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The load test drives the engines from outside, through Kafka: it never links to them. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.loadtest");

    @Test
    void noEngineOnTheLoadTestsClasspath() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "org.apache.spark..", "io.micronaut..", "ml.dmlc..")
                .check(classes);
    }

    @Test
    void theWorldKnowsNothingOfKafka() {
        noClasses().that().resideInAPackage("dev.vigil.loadtest.world..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(classes);
    }
}
