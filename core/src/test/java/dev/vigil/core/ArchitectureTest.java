package dev.vigil.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** core is the contract both engines share: it must never reach into an engine or a framework. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.core");

    @Test
    void coreImportsNoEngineOrFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.flink..", "org.apache.spark..", "io.micronaut..", "ml.dmlc..",
                        "org.apache.kafka..", "scala..")
                .because("core is shared by Flink, Spark and Micronaut and must stay engine-free")
                .check(core);
    }

    @Test
    void coreDoesNotDependOnOtherVigilModules() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.vigil.realtimescoring..", "dev.vigil.featurelake..", "dev.vigil.batchtraining..", "dev.vigil.alertapi..",
                        "dev.vigil.loadtest..", "dev.vigil.testkit..", "dev.vigil.tools..")
                .check(core);
    }

    @Test
    void jsonIsReadOnlyThroughTheStreamingApi() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.fasterxml.jackson.databind..")
                .because("the hot path decodes with the streaming parser only")
                .check(core);
    }

    @Test
    void packagesAreFreeOfCycles() {
        // Records live in event, codecs in json, model artifacts in model. A record kept in model
        // (ModelUpdate once was) makes json and model depend on each other.
        slices().matching("dev.vigil.core.(*)..").should().beFreeOfCycles().check(core);
    }
}
