package dev.vigil.realtimescoring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The scoring job's boundaries: it meets the rest of Vigil only through core and Kafka, its
 * operators never touch Kafka themselves (the topology takes sources and sinks as arguments, so a
 * test can run it on in-memory ones), and its packages do not lean on one another in circles.
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.vigil.realtimescoring");

    @Test
    void noOtherEngineNoDatabaseAndNoOtherVigilModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "io.delta..",
                "ml.dmlc..", "io.micronaut..", "java.sql..", "dev.vigil.featurelake..", "dev.vigil.batchtraining..",
                "dev.vigil.alertapi..", "dev.vigil.loadtest..", "dev.vigil.testkit..", "dev.vigil.tools..").check(classes);
    }

    @Test
    void onlyTheKafkaAdaptersAndTheEntryPointTouchKafka() {
        noClasses().that().resideOutsideOfPackages("dev.vigil.realtimescoring.io..", "dev.vigil.realtimescoring.job..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.flink.connector.kafka..")
                .check(classes);
    }

    @Test
    void operatorsDoNotDependOnTheJobThatWiresThem() {
        noClasses().that().resideOutsideOfPackage("dev.vigil.realtimescoring.job..")
                .should().dependOnClassesThat().resideInAPackage("dev.vigil.realtimescoring.job..").check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.vigil.realtimescoring.(*)..").should().beFreeOfCycles().check(classes);
    }
}
