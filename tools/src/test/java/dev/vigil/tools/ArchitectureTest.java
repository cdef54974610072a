package dev.vigil.tools;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The data tools write files and topics; they never link to an engine or to the suites. */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vigil.tools");

    @Test
    void noEngineOnTheToolsClasspath() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                "org.apache.flink..", "org.apache.spark..", "io.micronaut..", "ml.dmlc..", "dev.vigil.loadtest..")
                .check(classes);
    }
}
