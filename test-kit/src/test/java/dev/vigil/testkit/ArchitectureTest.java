package dev.vigil.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The kit drives the engines from outside, through Kafka: it never links to them, nor to the suites built on it. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.testkit");

    @Test
    void noEngineOnTheKitsClasspath() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "org.apache.spark..", "io.micronaut..", "ml.dmlc..",
                "dev.vigil.tools..", "dev.vigil.loadtest..")
                .check(classes);
    }

    @Test
    void theWorldKnowsNothingOfKafka() {
        noClasses().that().resideInAPackage("dev.vigil.testkit.world..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .check(classes);
    }
}
