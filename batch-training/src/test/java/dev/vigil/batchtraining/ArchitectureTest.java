package dev.vigil.batchtraining;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Training meets Flink only through topics and storage, and computes features only through core's fold. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.batchtraining");

    @Test
    void noOtherEngineIsLinked() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "io.micronaut..", "dev.vigil.realtimescoring..", "dev.vigil.loadtest..", "dev.vigil.testkit..", "dev.vigil.tools..")
                .check(classes);
    }

    @Test
    void theReplayFoldsWithCore() {
        classes().that().haveSimpleName("FeatureReplay")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.vigil.core.feature.CardFold")
                .check(classes);
        // The replay (training features) and the streaming scorer (the latency comparison's decisions)
        // are the only folds in this module, and both call core's.
        noClasses().that().resideOutsideOfPackages("dev.vigil.batchtraining.replay..", "dev.vigil.batchtraining.streaming..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.vigil.core.feature.CardFold")
                .check(classes);
    }

    @Test
    void theScheduleRunsNightsAsProcessesAndNeverStartsSpark() {
        // A night runs in a JVM of its own: a failed or leaking night cannot take the schedule down.
        noClasses().that().resideInAPackage("dev.vigil.batchtraining.schedule..").should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "io.delta..", "ml.dmlc..", "dev.vigil.featurelake..",
                        "dev.vigil.batchtraining.night..", "dev.vigil.batchtraining.cli..", "dev.vigil.batchtraining.run..")
                .check(classes);
    }
}
