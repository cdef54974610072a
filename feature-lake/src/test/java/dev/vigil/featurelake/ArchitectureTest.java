package dev.vigil.featurelake;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/** The lake meets Flink only through topics and tables, and defines no feature of its own. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.featurelake");

    @Test
    void noOtherEngineIsLinked() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "io.micronaut..", "ml.dmlc..", "dev.vigil.realtimescoring..", "dev.vigil.loadtest..", "dev.vigil.testkit..", "dev.vigil.tools..")
                .check(classes);
    }

    @Test
    void featuresComeFromCoreOnly() {
        // The fold computes features; the lake only builds the profiles the fold reads.
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("dev.vigil.core.feature.Feature")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.vigil.core.feature.CardState")
                .check(classes);
    }

    @Test
    void stagesDependDownwardsOnly() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.vigil.featurelake..")
                .layer("cli").definedBy("dev.vigil.featurelake.cli..")
                .layer("nightly").definedBy("dev.vigil.featurelake.nightly..")
                .layer("rekey").definedBy("dev.vigil.featurelake.rekey..")
                .layer("profiles").definedBy("dev.vigil.featurelake.profiles..")
                .layer("quality").definedBy("dev.vigil.featurelake.quality..")
                .layer("bronze").definedBy("dev.vigil.featurelake.bronze..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("nightly").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("rekey").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("profiles").mayOnlyBeAccessedByLayers("nightly", "rekey", "cli")
                .whereLayer("quality").mayOnlyBeAccessedByLayers("nightly", "cli")
                .whereLayer("bronze").mayOnlyBeAccessedByLayers("profiles", "quality", "nightly", "rekey", "cli")
                .check(classes);
    }
}
