package dev.vigil.loadtest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The suites drive the engines from outside, through Kafka (and the alert API over HTTP): they never link to them. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.loadtest");

    @Test
    void noEngineOnTheSuitesClasspath() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "org.apache.spark..", "io.micronaut..", "ml.dmlc..",
                "dev.vigil.realtimescoring..", "dev.vigil.featurelake..", "dev.vigil.batchtraining..", "dev.vigil.alertapi..")
                .check(classes);
    }
}
